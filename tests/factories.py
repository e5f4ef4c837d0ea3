"""factory_boy factories and the personas every permission test uses (STYLE 9)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import factory
from django.test import Client

from lianxin.accounts.models import Role, RoleAssignment, User
from lianxin.directory.models import (
    Congress,
    HandlingUnit,
    Mandate,
    Person,
    Station,
    StationMembership,
    StationStaff,
    Term,
    UnitContact,
)
from lianxin.regions.models import Region

PASSWORD = "Test-pass-2026!"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"L{n:08d}")
    code_is_local = True
    name = factory.Sequence(lambda n: f"测试镇{n}")
    kind = "镇"
    level = Region.Level.TOWNSHIP


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"张{n}")
    gender = Person.Gender.MALE
    work_unit = "测试单位"
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    id_number = factory.Sequence(lambda n: f"41042519800101{n:04d}")


class CongressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Congress

    region = factory.SubFactory(RegionFactory)
    level = Congress.Level.TOWNSHIP
    name = factory.LazyAttribute(lambda o: f"{o.region.name}人民代表大会")


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    congress = factory.SubFactory(CongressFactory)
    number = 17
    starts_on = datetime.date(2021, 10, 1)
    is_current = True


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    person = factory.SubFactory(PersonFactory)
    term = factory.SubFactory(TermFactory)
    started_on = datetime.date(2021, 10, 1)


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    name = factory.Sequence(lambda n: f"测试代表联络站{n}")
    kind = Station.Kind.TOWNSHIP
    region = factory.SubFactory(RegionFactory)
    address = "测试路1号"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingUnit

    name = factory.Sequence(lambda n: f"测试局{n}")
    kind = HandlingUnit.Kind.DEPARTMENT
    region = factory.SubFactory(RegionFactory)


def assign(user: User, role: str, **org: Any) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, **org)


@dataclass
class Township:
    """One township with everything a role can reach in it."""

    county: Region
    region: Region
    village: Region
    congress: Congress
    term: Term
    station: Station
    room: Station  # a contact room under the station
    unit: HandlingUnit
    sub_unit: HandlingUnit
    deputy: Person
    office: User
    station_staff: User
    unit_staff: User
    deputy_user: User
    leadership: User


@dataclass
class World:
    a: Township
    b: Township
    sysadmin: User
    secadmin: User
    auditadmin: User
    people: dict[str, User] = field(default_factory=dict)

    def client_for(self, user: User, role: str | None = None) -> Client:
        """A logged-in client acting in ``role`` (the user's first assignment otherwise)."""
        client = Client()
        client.force_login(user)
        if role is not None:
            assignment = user.assignments.get(role=role)
            session = client.session
            session["lianxin_assignment_id"] = assignment.pk
            session.save()
        return client


def make_township(county_code: str, name: str, tag: str) -> Township:
    county = Region.objects.get(code=county_code)
    region = RegionFactory(parent=county, name=name, level=Region.Level.TOWNSHIP)
    village = RegionFactory(
        parent=region, name=f"{name}一村", level=Region.Level.VILLAGE, kind="村"
    )
    congress = CongressFactory(region=region, name=f"{name}人民代表大会")
    term = TermFactory(congress=congress)
    station = StationFactory(region=region, name=f"{name}代表联络站", congress=congress)
    room = StationFactory(
        region=village,
        parent=station,
        name=f"{name}一村联系群众工作室",
        kind=Station.Kind.CONTACT_ROOM,
    )
    unit = UnitFactory(
        region=region, name=f"{name}人民政府", kind=HandlingUnit.Kind.TOWNSHIP_GOVERNMENT
    )
    sub_unit = UnitFactory(region=region, parent=unit, name=f"{name}农业服务中心")
    deputy_user = UserFactory(username=f"{tag}_deputy")
    deputy = PersonFactory(name=f"{tag}代表", region=region, account=deputy_user)
    MandateFactory(person=deputy, term=term)
    StationMembership.objects.create(station=room, person=deputy)
    office = UserFactory(username=f"{tag}_office")
    assign(office, Role.OFFICE, region=region)
    station_staff = UserFactory(username=f"{tag}_station")
    staff_person = PersonFactory(name=f"{tag}站长", region=region, account=station_staff)
    StationStaff.objects.create(station=station, person=staff_person, role=StationStaff.Role.HEAD)
    assign(station_staff, Role.STATION, station=station)
    unit_staff = UserFactory(username=f"{tag}_unit")
    contact = PersonFactory(name=f"{tag}联系人", region=region, account=unit_staff)
    UnitContact.objects.create(unit=unit, person=contact, is_primary=True)
    assign(unit_staff, Role.UNIT, unit=unit)
    assign(deputy_user, Role.DEPUTY)
    leadership = UserFactory(username=f"{tag}_leader")
    assign(leadership, Role.LEADERSHIP, region=region)
    return Township(
        county=county,
        region=region,
        village=village,
        congress=congress,
        term=term,
        station=station,
        room=room,
        unit=unit,
        sub_unit=sub_unit,
        deputy=deputy,
        office=office,
        station_staff=station_staff,
        unit_staff=unit_staff,
        deputy_user=deputy_user,
        leadership=leadership,
    )


def make_world() -> World:
    """Two townships in two counties (郏县 and 西峡县) and the three administrators."""
    a = make_township("410425", "甲镇", "a")
    b = make_township("411323", "乙镇", "b")
    sysadmin = UserFactory(username="sys")
    assign(sysadmin, Role.SYSTEM_ADMIN)
    secadmin = UserFactory(username="sec")
    assign(secadmin, Role.SECURITY_ADMIN)
    auditadmin = UserFactory(username="aud")
    assign(auditadmin, Role.AUDIT_ADMIN)
    return World(a=a, b=b, sysadmin=sysadmin, secadmin=secadmin, auditadmin=auditadmin)
