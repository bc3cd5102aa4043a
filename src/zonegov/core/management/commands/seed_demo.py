"""Build the demo zone from the source page (idempotent: safe to run again)."""

from datetime import timedelta

from django.apps import apps as django_apps
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from zonegov.core.demo import refuse_in_production
from zonegov.core.models import Assignment, Person, Role, Unit, User
from zonegov.core.models.org import UnitKind
from zonegov.core.planned_roles import GRID_WORKER, INVESTMENT_OFFICER, WAGE_OFFICER
from zonegov.core.roles import LEADER, ORG_ADMIN, PARK_OFFICER
from zonegov.core.services.assignments import assignment_act
from zonegov.core.services.numbering import number_format
from zonegov.core.services.org import unit_create
from zonegov.core.services.workflow import case_open

DEMO_PASSWORD = "Zonegov@2026"

# (code, name, kind, parent code)
UNITS = [
    ("zone", "平顶山高新区", UnitKind.ZONE, None),
    ("xzfwzx", "行政服务中心", UnitKind.DEPARTMENT, "zone"),
    ("scjg", "市场监督管理局高新区分局", UnitKind.DEPARTMENT, "zone"),
    ("cxjs", "城乡建设和生态环境局", UnitKind.DEPARTMENT, "zone"),
    ("kjcx", "科技创新局", UnitKind.DEPARTMENT, "zone"),
    ("jjfz", "经济发展局", UnitKind.DEPARTMENT, "zone"),
    ("park-dqzb", "电气装备产业园区", UnitKind.PARK, "zone"),
    ("park-lgwl", "临港物流产业园区", UnitKind.PARK, "zone"),
    ("park-ht", "皇台产业园区", UnitKind.PARK, "zone"),
    ("park-nlzz", "尼龙智造产业园区", UnitKind.PARK, "zone"),
    ("htjd", "皇台街道", UnitKind.STREET, "zone"),
    ("htjd-gysq", "高阳社区", UnitKind.COMMUNITY, "htjd"),
    ("htjd-gysq-w1", "高阳社区第一网格", UnitKind.GRID, "htjd-gysq"),
    ("htjd-gysq-w2", "高阳社区第二网格", UnitKind.GRID, "htjd-gysq"),
    ("htjd-gysq-w3", "高阳社区第三网格", UnitKind.GRID, "htjd-gysq"),
    ("zhdz", "遵化店镇", UnitKind.TOWN, "zone"),
    ("zhdz-dzc", "戴庄村", UnitKind.VILLAGE, "zhdz"),
    ("zhdz-zlc", "张楼村", UnitKind.VILLAGE, "zhdz"),
]

# (username, full name, unit code, roles, title). The roles of the licensing and supervision
# modules are named by code: core never imports an app's constants, and a role no
# installed module declares is simply not granted (Role.objects.filter below).
STAFF = [
    ("admin", "系统管理员", "zone", [ORG_ADMIN], "信息化专员"),
    ("leader", "王建国", "zone", [LEADER], "管委会副主任"),
    ("shenpi", "李静", "xzfwzx", ["licensing_officer"], "审批员"),
    ("hecha", "赵强", "scjg", ["inspector"], "核查员"),
    ("hecha2", "孙丽", "scjg", ["inspector"], "核查员"),
    ("jianguan", "周敏", "scjg", ["supervisor"], "监管员"),
    ("yuanqu", "陈晨", "park-dqzb", [PARK_OFFICER], "园区专员"),
    ("qianxin", "刘洋", "cxjs", [WAGE_OFFICER], "欠薪专班成员"),
    ("wangge", "杨梅", "htjd-gysq-w1", [GRID_WORKER], "网格员"),
    ("zhaoshang", "吴磊", "park-ht", [INVESTMENT_OFFICER], "招商专员"),
]

APPLICANT = {"mobile": "13800138000", "name": "张三", "id_number": "410402199001011230"}

ASSIGNMENTS = [
    # (title, unit code, assignee, time limit, days ago opened, actions to fire)
    ("高阳小区楼道杂物清理专项行动", "htjd-gysq-w1", "wangge", 5, 12, ["accept"]),
    ("电气装备园区企业走访需求汇总", "park-dqzb", "yuanqu", 10, 3, []),
    ("在建项目农民工工资专户排查", "cxjs", "qianxin", 15, 25, ["accept", "report"]),
    ("食品经营许可即申即审流程梳理", "xzfwzx", "shenpi", 5, 1, ["accept"]),
    ("遵化店镇逢集日道路秩序保障方案", "zhdz", None, 5, 9, []),
    ("皇台产业园区闲置厂房台账更新", "park-ht", "zhaoshang", 10, 30, ["accept", "report", "close"]),
]


class Command(BaseCommand):
    help = (
        "Load the demo zone: organisation tree, one user per role, enterprises, cases; then "
        "every module's own seed_<module> command (found, not imported by name)."
    )

    def handle(self, *args, **options):
        refuse_in_production("seed_demo")
        self._seed_core()
        # Modules depend on core, not the other way round: run whatever seed_* commands
        # the installed apps provide, in INSTALLED_APPS order.
        commands = get_commands()
        app_order = {config.name: i for i, config in enumerate(django_apps.get_app_configs())}
        module_seeds = sorted(
            (
                name
                for name, app in commands.items()
                if name.startswith("seed_") and name != "seed_demo"
            ),
            key=lambda name: app_order.get(commands[name], len(app_order)),
        )
        for name in module_seeds:
            call_command(name, verbosity=options.get("verbosity", 1))

    @transaction.atomic
    def _seed_core(self):
        units = self._units()
        users = self._users(units)
        self._applicant()
        enterprises = self._enterprises(units, users["admin"])
        self._assignments(units, users)
        summary = f"{len(units)} 个单位，{len(users)} 名工作人员，{enterprises} 家市场主体"
        self.stdout.write(self.style.SUCCESS(f"演示数据就绪：{summary}。"))

    def _units(self) -> dict[str, Unit]:
        units: dict[str, Unit] = {}
        for code, name, kind, parent_code in UNITS:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                unit = unit_create(
                    actor=None,
                    name=name,
                    code=code,
                    kind=kind,
                    parent=units.get(parent_code) if parent_code else None,
                )
            units[code] = unit
        return units

    def _users(self, units: dict[str, Unit]) -> dict[str, User]:
        users = {}
        for username, full_name, unit_code, roles, title in STAFF:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"full_name": full_name, "unit": units[unit_code], "title": title},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                if username == "admin":
                    user.is_staff = True
                    user.is_superuser = True
                user.save()
                user.roles.set(Role.objects.filter(code__in=roles))
            users[username] = user
        return users

    def _applicant(self) -> None:
        if User.objects.filter(username=APPLICANT["mobile"]).exists():
            return
        # ID numbers are not unique among unverified self-registrations.
        person = Person.objects.filter(
            id_number=APPLICANT["id_number"], user__isnull=True
        ).first() or Person.objects.create(
            id_number=APPLICANT["id_number"], name=APPLICANT["name"], mobile=APPLICANT["mobile"]
        )
        user = User(
            username=APPLICANT["mobile"],
            mobile=APPLICANT["mobile"],
            full_name=APPLICANT["name"],
            person=person,
            # The demo's own number, as if proved at registration: SMS login and signing
            # by SMS code work for 张三 in `make run` (the demo SMS shows the code).
            mobile_verified_at=timezone.now(),
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        # 张三 is verified through the demo identity provider (development only), so his
        # account shows 已实名核验; instant approval still asks for a fresh verification
        # in the session (the 模拟统一身份认证 page).
        from zonegov.core.identity.demo import demo_login, demo_provider

        if demo_provider() is not None:
            demo_login(user)

    def _enterprises(self, units: dict[str, Unit], actor: User) -> int:
        from zonegov.core.demo.enterprises import seed_enterprises

        parks = {
            u.name: u
            for u in units.values()
            if u.kind in {UnitKind.PARK, UnitKind.STREET, UnitKind.TOWN}
        }
        return seed_enterprises(parks=parks, actor=actor)

    def _assignments(self, units: dict[str, Unit], users: dict[str, User]) -> None:
        leader = users["leader"]
        now = timezone.now()
        for title, unit_code, assignee, limit, days_ago, actions in ASSIGNMENTS:
            if Assignment.objects.filter(title=title).exists():
                continue
            assignment = Assignment(
                reference=number_format(prefix="JB"),
                title=title,
                description=f"请按时完成“{title}”，并报送办理结果。",
                unit=units[unit_code],
                assignee=users.get(assignee) if assignee else None,
                created_by=leader,
            )
            case_open(
                case=assignment,
                actor=leader,
                opened_at=now - timedelta(days=days_ago),
                time_limit=limit,
            )
            for action in actions:
                actor = leader if action in {"close", "send_back"} else users[assignee]
                note = "已完成，详见台账。" if action == "report" else ""
                assignment_act(actor=actor, assignment=assignment, action=action, note=note)
