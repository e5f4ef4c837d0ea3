"""Scoped CRUD endpoints every app's API shares (API-1, SEC-1).

Kept apart from ``lianxin.common.api`` because DRF's settings import that module while
``rest_framework.viewsets`` is still loading.
"""

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers, viewsets


class ScopedSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Related-object choices narrowed to the requesting actor's reach; ``validate`` runs the
    model's own ``clean`` so the API enforces the same invariants as the pages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None or getattr(self.context.get("view"), "swagger_fake_view", False):
            return
        from lianxin.accounts.api_permissions import request_actor
        from lianxin.accounts.permissions import scope

        actor = request_actor(request)
        for f in self.fields.values():
            queryset: Any = getattr(f, "queryset", None)
            if isinstance(f, serializers.RelatedField) and queryset is not None:
                f.queryset = scope(actor, queryset)  # type: ignore[misc, arg-type]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        model: Any = self.Meta.model
        probe: Any = copy.copy(self.instance) if self.instance is not None else model()
        for key, value in attrs.items():
            if not isinstance(getattr(type(probe), key, None), property):
                setattr(probe, key, value)
        try:
            probe.clean()
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            ) from exc
        return attrs


class ScopedViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    """Lists and objects within reach (others answer 404); writes go through
    ``save_instance``, which checks capability and reach before and after. No deletes: the
    pages have none either."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        from lianxin.accounts.api_permissions import request_actor
        from lianxin.accounts.permissions import scope

        qs: Any = self.queryset  # type: ignore[arg-type]
        if getattr(self, "swagger_fake_view", False):  # schema generation: no actor
            return qs.none()
        return scope(request_actor(self.request), qs.all())

    def _save(self, serializer: Any, instance: Any) -> None:
        from lianxin.accounts.api_permissions import request_actor
        from lianxin.common.errors import NotAllowed
        from lianxin.common.services import save_instance

        for key, value in serializer.validated_data.items():
            setattr(instance, key, value)
        try:
            serializer.instance = save_instance(
                actor=request_actor(self.request), instance=instance
            )
        except NotAllowed as exc:
            raise exceptions.NotFound from exc

    def perform_create(self, serializer: Any) -> None:
        self._save(serializer, serializer.Meta.model())

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer, serializer.instance)
