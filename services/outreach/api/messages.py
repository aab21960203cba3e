"""The outreach service's problems in Bahasa Indonesia, for the regional officers who read them.

`MESSAGES` has one sentence per code the service can answer with (the deciders'
DomainError codes and the routes' own problems); the code stays English, the
domain's English message is kept in `detail_en`. `TERMS` gives the Indonesian
of the English words a sentence may show. How `{placeholders}` and
`[optional parts]` are filled: shared.http.problems.
"""

from __future__ import annotations

_AMBASSADOR = "[{role}|Duta Kerja Sama][ ({ambassador_id})]"

MESSAGES: dict[str, str] = {
    # Outreach events
    "outreach_not_found": "Kegiatan penjangkauan tidak ditemukan.",
    "unknown_outreach": (
        "Tidak ada kegiatan penjangkauan dengan ID ini[ ({outreach_id})]; calon mitra dicatat "
        "dari kegiatan yang sudah tercatat."
    ),
    "outreach_exists": "Kegiatan penjangkauan ini sudah tercatat.",
    "outreach_not_planned": (
        "Hanya kegiatan penjangkauan yang berstatus direncanakan yang dapat dilaksanakan atau "
        "dibatalkan[; statusnya sekarang {status}]."
    ),
    "outreach_cancelled": (
        "Kegiatan penjangkauan ini sudah dibatalkan; tidak ada lagi yang dapat dicatat untuknya."
    ),
    "outreach_not_held": (
        "Calon mitra hanya dapat dicatat dari kegiatan penjangkauan yang sudah dilaksanakan"
        "[; statusnya sekarang {status}]."
    ),
    "outreach_other_region": (
        "Kegiatan penjangkauan ini dilaksanakan di wilayah lain[ ({outreach_region})], bukan di "
        "wilayah kantor ini[ ({region})]."
    ),
    "unknown_region": "Kode wilayah (Kanwil) tidak dikenal[: {region}].",
    # Ambassadors (facts from the partners service)
    "ambassador_not_yet_known": (
        _AMBASSADOR + " belum dikenal layanan penjangkauan: data pengangkatannya dari layanan "
        "mitra belum diterima (bukan berarti tidak ada). Coba lagi sebentar lagi."
    ),
    "ambassador_other_region": (
        _AMBASSADOR + " bertugas di wilayah lain[ ({ambassador_region})], bukan di wilayah ini"
        "[ ({region})]."
    ),
    "ambassador_term_not_begun": (
        "Masa tugas " + _AMBASSADOR + " belum dimulai[ pada {on}][; mulai {term_starts_on}]."
    ),
    "ambassador_term_ended": (
        "Masa tugas " + _AMBASSADOR + " sudah berakhir[ pada {term_ended_on}][, sebelum {on}]."
    ),
    "lead_among_co_ambassadors": (
        "Duta utama[ ({ambassador_id})] tidak boleh sekaligus dicantumkan sebagai duta pendamping."
    ),
    "duplicate_co_ambassador": (
        "Duta pendamping[ ({ambassador_id})] tercantum lebih dari satu kali."
    ),
    "unknown_ambassador": (
        _AMBASSADOR + " tidak ada: layanan mitra tidak pernah mengangkat duta dengan ID ini."
    ),
    # Media coverage
    "duplicate_coverage_link": (
        "Tautan ini sudah dicatat sebagai liputan[ ke-{first_number}][: {first_outlet}]"
        "[, \u201c{first_title}\u201d][ ({first_published_on})]."
    ),
    "campaign_not_found": "Kampanye media tidak ditemukan.",
    # Prospects
    "prospect_not_found": "Calon mitra tidak ditemukan.",
    "prospect_exists": "Calon mitra ini sudah tercatat.",
    "prospect_closed": "Calon mitra ini sudah [{status}|ditutup]; tidak dapat diubah lagi.",
    "prospect_already_converted": (
        "Calon mitra ini sudah menjadi mitra[ {partner_id}]; rujukan kedua tidak dicatat."
    ),
    # Dates
    "date_in_future": "[{field}|Tanggal] tidak boleh melewati hari ini[ ({today})].",
    "date_too_early": "[{field}|Tanggal] tidak boleh sebelum [{what}|tanggal awal][ ({earliest})].",
    # Lists
    "invalid_list_period": "Tanggal akhir periode (to) tidak boleh sebelum tanggal awal (from).",
}
"""Bahasa Indonesia sentence by problem code, for every code the outreach service raises."""

TERMS: dict[str, str] = {
    # Statuses
    "planned": "direncanakan",
    "held": "dilaksanakan",
    "cancelled": "dibatalkan",
    "identified": "teridentifikasi",
    "declined": "menolak",
    "converted": "menjadi mitra",
    # Ambassador roles
    "lead": "Duta utama",
    "co": "Duta pendamping",
    "identifier": "Duta yang mengidentifikasi",
    # What a date may not precede
    "the outreach event": "tanggal kegiatan penjangkauan",
    "the identification": "tanggal identifikasi",
    # Fields a sentence may name
    "planned_on": "Tanggal rencana",
    "held_on": "Tanggal pelaksanaan",
    "cancelled_on": "Tanggal pembatalan",
    "published_on": "Tanggal terbit",
    "identified_on": "Tanggal identifikasi",
    "declined_on": "Tanggal penolakan",
    # The validators' own texts (pydantic value_error)
    "give a phone number or an e-mail address": "Isi nomor telepon atau alamat e-mail.",
    "a link is an http": "Tautan harus berupa alamat http:// atau https://.",
    "text must not contain the NUL character": "Teks tidak boleh memuat karakter NUL (\\u0000).",
}
"""Indonesian of the English words and validator texts the outreach problems may show."""


CONFLICTS: frozenset[str] = frozenset(
    {
        "ambassador_not_yet_known",
        "duplicate_coverage_link",
        "outreach_cancelled",
        "outreach_exists",
        "outreach_not_held",
        "outreach_not_planned",
        "prospect_already_converted",
        "prospect_closed",
        "prospect_exists",
    }
)
"""The codes whose meaning is "a record's state forbids this now": 409 (shared.http.statuses)."""
