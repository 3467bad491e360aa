"""Certification of public service platforms (渝中小企〔2013〕24号 and schemes like it), one module per
seam: schemes, applications, reviews (experts), notices and objections, titles (after certification).
"""

from .applications import Application, ApplicationRevision, ApplicationStatus, ApplicationYear, Material
from .notices import Notice, NoticeOutcome, Objection, ObjectionStatus
from .reviews import ExpertConflict, ExpertReview
from .schemes import Scheme, SchemeLevel, SchemeQuerySet
from .titles import (
    IN_FORCE,
    AnnualSummary,
    Certification,
    CertificationStatus,
    ReReview,
    ReReviewAuditReport,
    ReReviewStatus,
    RevocationBasis,
    SpotCheck,
    SpotCheckRectification,
    SpotCheckStatus,
    SummaryDuty,
)

__all__ = [
    "IN_FORCE",
    "AnnualSummary",
    "Application",
    "ApplicationRevision",
    "ApplicationStatus",
    "ApplicationYear",
    "Certification",
    "CertificationStatus",
    "ExpertConflict",
    "ExpertReview",
    "Material",
    "Notice",
    "NoticeOutcome",
    "Objection",
    "ObjectionStatus",
    "ReReview",
    "ReReviewAuditReport",
    "ReReviewStatus",
    "RevocationBasis",
    "Scheme",
    "SchemeLevel",
    "SchemeQuerySet",
    "SpotCheck",
    "SpotCheckRectification",
    "SpotCheckStatus",
    "SummaryDuty",
]
