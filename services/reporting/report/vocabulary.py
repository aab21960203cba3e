"""The keys every report shows even when their count is zero (the contract's stable keys)."""

from __future__ import annotations

PARTNER_KINDS = (
    "individual",
    "community_organization",
    "religious_organization",
    "educational_institution",
    "business",
    "media",
    "local_government",
    "ministry_or_agency",
    "international_organization",
)
PARTNER_STATUSES = ("registered", "verified", "suspended", "withdrawn")
INSTRUMENTS = ("mou", "pks")
AGREEMENT_STATUSES = ("active", "terminated", "expired")
STEPS = (
    "initial_approach",
    "continued_collaboration",
    "independent_program",
    "design",
    "formulation",
    "planning",
    "implementation",
    "evaluation",
)
FUNNEL = (
    "initial_approach",
    "continued_collaboration",
    "design",
    "formulation",
    "planning",
    "implementation",
    "evaluation",
)
"""The seven steps one after the other, for conversion (stage 3 is its phases)."""
TRACKS = ("personality_development", "independence", "reintegration")
GROUPS = (
    "male_child",
    "male_adult",
    "male_elderly",
    "female_child",
    "female_adult",
    "female_elderly",
)
CHANNELS = (
    "socialization",
    "seminar",
    "workshop",
    "media_campaign",
    "social_media",
    "community_visit",
    "exhibition",
)
SEGMENTS = (
    "general_public",
    "students",
    "religious_community",
    "business",
    "government",
    "families_of_inmates",
    "media",
    "other",
)
MEDIA = ("print", "online", "tv", "radio", "social")
DOMAINS = ("individual", "institutional", "policy")
