"""Support programs (专项支持, SPEC §3.8, plan clause 二、8): tape-out subsidy rules as data.

Pure engines, no Django models (the application workflow and budget ledger are wired elsewhere):

- ``rules``: parse a plan-file program (``support_programs`` section) into frozen dataclasses;
  errors name the field path. ``schema_errors`` checks a section against ``plan_schema.json``.
- ``awards``: ``compute_award`` — eligibility, rule matching, rate, caps, budget, final amount, each
  an explained step; 一事一议 overrides keep the computed amount beside the decided one.
- ``duplicates``: duplicate-claim keys (same firm + foundry + product + tape-out date, or same
  invoice) and the earlier claim a new one conflicts with.
- ``examples``: Kunshan's three 二、8 programs in plan-file shape, with example values labelled as
  taken from Beijing 2023 / Chengdu 2023.
"""
