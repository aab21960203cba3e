"""The deciders of the outreach service: `outreach`, `media_campaign` and `prospect`, pure."""
