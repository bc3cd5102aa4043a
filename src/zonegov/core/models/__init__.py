from zonegov.core.models.api_clients import ApiClient, ApiClientKey
from zonegov.core.models.attachments import Attachment
from zonegov.core.models.audit import AuditCheckpoint, AuditHead, AuditRecord
from zonegov.core.models.calendar import CalendarOverride, CalendarYear
from zonegov.core.models.documents import IssuedDocument
from zonegov.core.models.enterprise import Enterprise, IndustryCode
from zonegov.core.models.identity import IdentityLevel, IdentityVerification
from zonegov.core.models.notifications import Notification
from zonegov.core.models.numbering import NumberSeries
from zonegov.core.models.org import Unit
from zonegov.core.models.outbox import (
    OutboxConsumption,
    OutboxDelivery,
    OutboxMessage,
    OutboxStatus,
)
from zonegov.core.models.phone_login import PhoneLoginCode
from zonegov.core.models.users import ApiToken, Person, Role, User
from zonegov.core.models.workflow import (
    Assignment,
    CaseType,
    LimitUnit,
    TimelineEntry,
    WorkflowCase,
    WorkItem,
)

__all__ = [
    "ApiClient",
    "ApiClientKey",
    "ApiToken",
    "Assignment",
    "Attachment",
    "AuditCheckpoint",
    "AuditHead",
    "AuditRecord",
    "CalendarOverride",
    "CalendarYear",
    "CaseType",
    "Enterprise",
    "IdentityLevel",
    "IdentityVerification",
    "IndustryCode",
    "IssuedDocument",
    "LimitUnit",
    "Notification",
    "NumberSeries",
    "OutboxConsumption",
    "OutboxDelivery",
    "OutboxMessage",
    "OutboxStatus",
    "Person",
    "PhoneLoginCode",
    "Role",
    "TimelineEntry",
    "Unit",
    "User",
    "WorkItem",
    "WorkflowCase",
]
