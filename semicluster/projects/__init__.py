"""Major-project library (重大项目库, SPEC §3.4; plan clauses 二、2 and 二、8).

This package starts with pure engines that know nothing about Django, so that the rules can be read,
tested and reused (imports, command line, reports) on their own:

- ``lifecycle``: stages from reserve (储备) to at capacity (达产), the side state suspended (停缓建),
  milestone dates and the validation of every stage change; admission by the plan's investment threshold.
- ``measures``: the progress measures government bulletins state per project and month — year-to-date
  completion against the annual plan, time-schedule progress (序时进度), the gap in percentage points,
  overdue starts, stale data, overdue problems.
- ``lights``: traffic lights (红黄绿灯) from the plan file's ``risk_rules``, each light with its reasons;
  the platform's default rule set for Kunshan.
- ``plan_schema.json``: the JSON Schema fragment for the plan-file sections ``project_library`` and
  ``risk_rules``.
"""
