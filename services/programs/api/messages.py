"""The programs service's problems in Bahasa Indonesia, for the regional officers who read them.

`MESSAGES` has one sentence per code the service can answer with (the deciders'
DomainError codes and the routes' own problems); the code stays English, the
domain's English message is kept in `detail_en`. `TERMS` gives the Indonesian of
the English words a sentence may show (fields, stages, phases, partner roles) and
of the validators' own texts. How `{placeholders}` and `[optional parts]` are
filled: shared.http.problems.
"""

from __future__ import annotations

from services.programs.timeline import LABELS

_STEP = "{stage}[, fase {phase}]"
_NOW = "[; tahap saat ini " + _STEP + "]"
_PARTNER = "[{role}|Mitra][ {partner_name}][ ({partner_id})]"

MESSAGES: dict[str, str] = {
    # Unit (UPT Pemasyarakatan)
    "unit_not_found": "UPT tidak ditemukan.",
    "unknown_unit": "UPT[ {unit_id}] tidak dikenal; periksa ID UPT (unit_id).",
    "unit_exists": "UPT[ dengan kode {code}] sudah terdaftar.",
    "duplicate_unit": "UPT dengan kode ini sudah terdaftar[ dengan ID {existing_unit_id}].",
    "unit_region_mismatch": (
        "UPT hanya dapat didaftarkan untuk wilayah yang dilayani kantor ini[ ({region})]."
    ),
    # Program: proposal
    "program_not_found": "Program tidak ditemukan.",
    "program_exists": "Program ini sudah diusulkan.",
    "invalid_period": "Tanggal berakhir harus setelah tanggal mulai.",
    "lead_among_co_partners": (
        "Mitra utama[ ({partner_id})] tidak boleh sekaligus dicantumkan sebagai mitra pendamping."
    ),
    "duplicate_co_partner": "Mitra pendamping[ ({partner_id})] tercantum lebih dari satu kali.",
    # Program: the partners it names (facts from the partners service)
    "partner_not_yet_known": (
        _PARTNER + " belum dikenal layanan program: data mitra dari layanan mitra belum "
        "diterima (bukan berarti mitra tidak ada). Coba lagi sebentar lagi."
    ),
    "unknown_partner": (
        _PARTNER + " tidak ada: layanan program sudah menerima data layanan mitra sampai posisi "
        "yang dikirim (X-Partners-Position) dan tidak mengenal mitra ini. Periksa ID mitra."
    ),
    "partner_withdrawn": _PARTNER + " sudah mengundurkan diri.",
    "partner_suspended": _PARTNER + " sedang ditangguhkan.",
    "partner_not_verified": (
        _PARTNER + " belum diverifikasi; program hanya dapat melibatkan mitra yang sudah "
        "diverifikasi."
    ),
    "no_valid_agreement": (
        _PARTNER + " tidak memiliki perjanjian kerja sama (MoU/PKS) yang berlaku[ pada {on}]."
    ),
    # Program: dates
    "date_in_future": "[{field}|Tanggal] tidak boleh melewati hari ini[ ({today})].",
    "date_before_previous_step": (
        "[{field}|Tanggal] tidak boleh sebelum program memasuki tahapnya saat ini"
        "[ ({previous_step_on})]."
    ),
    # Program: the stage path
    "program_closed": (
        "Program sudah [{status}|berakhir]; tidak ada lagi yang dapat dicatat untuk program ini."
    ),
    "invalid_transition": (
        "Program hanya dapat maju satu tahap[; tahap berikutnya adalah {expected[stage]}"
        "[, fase {expected[phase]}]]."
    ),
    "stage_backwards": (
        "Program tidak dapat mundur ke tahap sebelumnya[; tahap saat ini {from[stage]}"
        "[, fase {from[phase]}]]."
    ),
    "unknown_step": "Tahap tujuan tidak ada pada alur tahapan program.",
    "end_via_complete_or_discontinue": (
        "Program diakhiri melalui perintah selesai (complete) atau hentikan (discontinue), "
        "bukan dengan memajukan tahap."
    ),
    "evidence_required": (
        "Perpindahan ke tahap program pembinaan mandiri dan antarfasenya wajib disertai bukti "
        "(evidence)."
    ),
    "completion_not_allowed": (
        "Program hanya dapat dinyatakan selesai dari tahap kolaborasi lanjutan atau dari fase "
        "evaluasi pada tahap program pembinaan mandiri" + _NOW + "."
    ),
    # Program: what is recorded
    "activity_too_early": (
        "Kegiatan baru dapat dicatat mulai tahap kolaborasi lanjutan[; program masih pada tahap "
        "{stage}]."
    ),
    "activity_outside_period": (
        "Tanggal kegiatan berada di luar masa program[ ({starts_on} s.d. {ends_on})]."
    ),
    "evaluation_not_allowed": (
        "Evaluasi hanya dapat dicatat pada fase evaluasi tahap program pembinaan mandiri atau "
        "setelah program selesai" + _NOW + "."
    ),
    "participants_implausible": (
        "Jumlah peserta[ ({participants} orang)] jauh di atas rencana program"
        "[ ({planned_participants} orang; tanpa konfirmasi paling banyak {limit})]. Periksa "
        "kembali angkanya; bila memang benar, kirim ulang dengan participants_confirmed: true."
    ),
    # Program: corrections and voids of what was recorded
    "activity_not_found": (
        "Kegiatan tidak ditemukan pada program ini[ (event {record_event_id})]."
    ),
    "monitoring_not_found": (
        "Kunjungan monitoring tidak ditemukan pada program ini[ (event {record_event_id})]."
    ),
    "evaluation_not_found": (
        "Evaluasi tidak ditemukan pada program ini[ (event {record_event_id})]."
    ),
    "record_voided": (
        "Catatan[ {kind}] ini sudah dibatalkan, sehingga tidak dapat dikoreksi atau dibatalkan "
        "lagi."
    ),
    "correction_changes_nothing": (
        "Koreksi tidak mengubah apa pun: data yang dikirim sama dengan catatan[ {kind}] saat ini."
    ),
}
"""Bahasa Indonesia sentence by problem code, for every code the programs service raises."""

CONFLICTS: frozenset[str] = frozenset(
    {
        "unit_exists",
        "duplicate_unit",
        "program_exists",
        "partner_not_yet_known",
        "partner_withdrawn",
        "partner_suspended",
        "partner_not_verified",
        "no_valid_agreement",
        "program_closed",
        "invalid_transition",
        "completion_not_allowed",
        "activity_too_early",
        "evaluation_not_allowed",
        "record_voided",
    }
)
"""The codes whose meaning is "a record's state forbids this now": 409 (shared.http.statuses)."""


TERMS: dict[str, str] = {
    # Stages, phases and end statuses, as a sentence shows them ("kolaborasi lanjutan")
    **{code: label[:1].lower() + label[1:] for code, label in LABELS.items()},
    # What a program records (corrections name them)
    "activity": "kegiatan",
    "monitoring": "kunjungan monitoring",
    "evaluation": "evaluasi",
    # Partner roles in a program
    "lead": "mitra utama",
    "co": "mitra pendamping",
    # Fields a sentence may name
    "proposed_on": "tanggal pengusulan",
    "on": "tanggal perpindahan tahap",
    "held_on": "tanggal kegiatan",
    "visited_on": "tanggal kunjungan monitoring",
    "evaluated_on": "tanggal evaluasi",
    "completed_on": "tanggal selesai",
    "discontinued_on": "tanggal penghentian",
    # The validators' own texts (pydantic value_error)
}
"""Indonesian of the English words and validator texts the programs' problems may show."""
