"""Small guards shared by the outreach decisions; each raises DomainError or returns."""

from __future__ import annotations

from datetime import date

from shared.decider import DomainError


def not_future(day: date, today: date, field_name: str) -> None:
    """422 if `day` is after today (in the region)."""
    if day > today:
        raise DomainError(
            "date_in_future",
            f"{field_name} cannot be in the future",
            field=field_name,
            details={"today": today.isoformat()},
        )


def not_before(day: date, earliest: date, field_name: str, *, what: str) -> None:
    """422 if `day` is before `earliest` (the date of `what`)."""
    if day < earliest:
        raise DomainError(
            "date_too_early",
            f"{field_name} is before {what} ({earliest.isoformat()})",
            field=field_name,
            details={"earliest": earliest.isoformat(), "what": what},
        )


def require_region(region: str) -> str:
    """The office's region, checked against the reference data (422 when unknown)."""
    from shared.regions import validate_region

    try:
        return validate_region(region)
    except ValueError as exc:
        raise DomainError(
            "unknown_region", str(exc), field="region", details={"region": region}
        ) from exc
