"""/api/v1/regions/ (API-1, ORG-1): read within reach; townships and villages written through
the same services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers

from lianxin.accounts.api_permissions import request_actor
from lianxin.common.api_base import ScopedSerializer, ScopedViewSet
from lianxin.common.errors import NotAllowed
from lianxin.regions import services
from lianxin.regions.filters import RegionFilter
from lianxin.regions.models import Region


class RegionSerializer(ScopedSerializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())  # type: ignore[assignment]
    code = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="区划代码；留空则生成本地代码"
    )

    class Meta:
        model = Region
        fields = ["id", "parent", "code", "code_is_local", "name", "kind", "level", "path", "depth"]
        read_only_fields = ["code_is_local", "path", "depth"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs  # the services check level, parent and code and word the errors


class RegionViewSet(ScopedViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name", "level", "path"]
    ordering = ["code"]

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = self._call(
            services.region_create,
            parent=data["parent"],
            name=data.get("name", ""),
            level=data.get("level", 0),
            code=data.get("code", ""),
            kind=data.get("kind", ""),
        )

    def perform_update(self, serializer: Any) -> None:
        region: Region = serializer.instance
        data = serializer.validated_data
        if ("parent" in data and data["parent"] != region.parent) or (
            "level" in data and data["level"] != region.level
        ):
            raise exceptions.ValidationError({"parent": [_("不能修改区划的上级或级别。")]})
        serializer.instance = self._call(
            services.region_update,
            region=region,
            name=data.get("name", region.name),
            kind=data.get("kind", region.kind),
            code=data.get("code", ""),
        )

    def _call(self, fn: Any, **kwargs: Any) -> Region:
        try:
            return fn(actor=request_actor(self.request), **kwargs)  # type: ignore[no-any-return]
        except NotAllowed as exc:
            raise exceptions.NotFound from exc
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from exc


ROUTES = [("regions", RegionViewSet, "region")]
