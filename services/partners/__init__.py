"""The partners service: who takes part in corrections (Sahabat Pemasyarakatan), their
cooperation agreements (MoU / PKS) and the cooperation ambassadors (Duta Kerja Sama).

Aggregates `partner`, `agreement` and `ambassador`, one event stream each per id, in
the log of one region (Kanwil).
"""
