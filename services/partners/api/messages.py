"""The partners service's problems in Bahasa Indonesia, for the regional officers who read them.

`MESSAGES` has one sentence per code the service can answer with (the deciders'
DomainError codes and the routes' own problems); the code stays English, the
domain's English message is kept in `detail_en`. `TERMS` gives the Indonesian of
the English words a sentence may show and of the validators' own texts. How
`{placeholders}` and `[optional parts]` are filled: shared.http.problems.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Region (the service's own Kanwil, from the reference data)
    "unknown_region": "Kode Kanwil tidak dikenal dalam data referensi wilayah.",
    # Partner (Sahabat Pemasyarakatan)
    "partner_not_found": "Mitra (Sahabat Pemasyarakatan) tidak ditemukan.",
    "partner_exists": "Mitra ini sudah terdaftar.",
    "duplicate_partner": (
        "Mitra ini sudah terdaftar[ sebagai {existing_partner_name}][ dengan ID "
        "{existing_partner_id}]: NIK-nya sama, atau nama "
        "dan jenis organisasinya sama di wilayah ini."
    ),
    "already_verified": "Mitra sudah diverifikasi.",
    "already_suspended": "Mitra sudah dalam status ditangguhkan.",
    "not_suspended": "Hanya mitra yang sedang ditangguhkan yang dapat dipulihkan.",
    "already_withdrawn": "Mitra sudah mengundurkan diri sebelumnya; status ini bersifat final.",
    "partner_withdrawn": (
        "Mitra sudah mengundurkan diri; statusnya final dan tidak ada lagi yang dapat dicatat "
        "untuk mitra ini."
    ),
    "partner_suspended": ("Mitra sedang ditangguhkan; pulihkan status mitra terlebih dahulu."),
    "partner_not_verified": (
        "Mitra belum diverifikasi; perjanjian hanya dapat ditandatangani oleh mitra yang sudah "
        "diverifikasi."
    ),
    "unknown_partner": "Mitra tidak ditemukan; periksa ID mitra (partner_id).",
    "empty_update": (
        "Isi paling sedikit satu perubahan: nama, kontak, atau bidang minat (interests)."
    ),
    "nik_required": "Mitra perorangan wajib mencantumkan NIK.",
    "nik_not_for_organisation": (
        "NIK hanya diisi untuk mitra perorangan; mitra berbentuk organisasi tidak memiliki NIK."
    ),
    "name_required": "Nama organisasi wajib diisi.",
    "name_not_for_individual": (
        "Nama mitra perorangan diisi pada kontak (contact.person_name), bukan pada isian nama "
        "(name)."
    ),
    "person_name_required": (
        "Kontak mitra perorangan wajib memuat nama orang tersebut (contact.person_name)."
    ),
    # Agreement (Perjanjian Kerja Sama / Nota Kesepahaman)
    "agreement_not_found": "Perjanjian kerja sama tidak ditemukan.",
    "agreement_exists": "Perjanjian ini sudah ditandatangani.",
    "duplicate_agreement_number": (
        "Nomor perjanjian ini sudah dipakai[ oleh perjanjian {existing_agreement_id}] untuk "
        "instrumen dan tingkat penandatanganan yang sama."
    ),
    "agreement_not_active": (
        "Perjanjian sudah tidak berlaku (telah berakhir atau diakhiri); hanya perjanjian yang "
        "masih berlaku yang dapat diperpanjang atau diakhiri."
    ),
    "invalid_period": "Tanggal berakhir harus setelah tanggal mulai.",
    "ends_on_in_past": "Tanggal berakhir perjanjian sudah lewat.",
    "ends_on_not_later": (
        "Tanggal berakhir yang baru harus setelah tanggal berakhir perjanjian saat ini."
    ),
    "invalid_effective_on": (
        "Tanggal berlakunya pengakhiran harus berada dalam masa berlaku perjanjian."
    ),
    "signed_level_mismatch": (
        "Tingkat penandatanganan tidak sesuai dengan jenis dokumen: MoU ditandatangani di "
        "tingkat Ditjenpas atau Kanwil, PKS di tingkat Ditjenpas atau UPT."
    ),
    "unit_code_required": (
        "Perjanjian yang ditandatangani di tingkat UPT wajib mencantumkan kode UPT (unit_code)."
    ),
    "unit_code_not_allowed": (
        "Kode UPT (unit_code) hanya diisi untuk perjanjian yang ditandatangani di tingkat UPT."
    ),
    # Ambassador (Duta Kerja Sama)
    "ambassador_not_found": "Duta Kerja Sama tidak ditemukan.",
    "ambassador_exists": "Duta Kerja Sama ini sudah diangkat.",
    "invalid_term": "Tanggal akhir masa tugas harus setelah tanggal awal masa tugas.",
    "term_already_ended": "Masa tugas Duta Kerja Sama ini sudah berakhir.",
    "term_not_over": (
        "Masa tugas belum selesai; untuk mengakhirinya sekarang, pilih alasan pengakhiran lebih "
        "awal (early)."
    ),
    "invalid_ended_on": (
        "Tanggal berakhirnya masa tugas tidak sesuai: masa tugas yang selesai berakhir pada hari "
        "terakhirnya, sedangkan pengakhiran lebih awal harus jatuh dalam masa tugas, sebelum hari "
        "terakhirnya."
    ),
}
"""Bahasa Indonesia sentence by problem code, for every code the partners service raises."""

CONFLICTS: frozenset[str] = frozenset(
    {
        "partner_exists",
        "duplicate_partner",
        "already_verified",
        "already_suspended",
        "not_suspended",
        "already_withdrawn",
        "partner_withdrawn",
        "partner_suspended",
        "partner_not_verified",
        "agreement_exists",
        "agreement_not_active",
        "ambassador_exists",
        "term_already_ended",
        "duplicate_agreement_number",
    }
)
"""The codes whose meaning is "a record's state forbids this now": 409 (shared.http.statuses)."""

TERMS: dict[str, str] = {
    # The validators' own texts (pydantic value_error)
    "give a phone number or an e-mail address": "Isi nomor telepon atau alamat e-mail.",
}
"""Indonesian of the English words and validator texts the partners' problems may show."""
