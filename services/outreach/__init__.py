"""The outreach service (penjangkauan masyarakat): not built yet.

It will record ambassadors' outreach events, media coverage and prospects
(see DOMAIN.md). Until then it has no `__main__` and `sahabat demo` skips it.
"""
