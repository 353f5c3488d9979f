"""Plan-shaped defaults for the ``reporting`` and ``assessment`` sections (Kunshan 2025).

The plan says only 定期通报工作进展，加强目标责任考核 (三、1); the period, due day, grace period and
weights below are example values for the leading-group office to confirm, not published policy.
They validate against ``plan_schema.json`` (see the tests) and can be pasted into the plan file.
"""

from __future__ import annotations

SOURCE_TEXT = "细化分解职责任务，定期通报工作进展，加强目标责任考核"

REPORTING: dict[str, object] = {
    "source": "三、1",
    "source_text": SOURCE_TEXT,
    "period": "monthly",
    "due_day": 5,
    "grace_days": 3,
    "at_risk_days": 14,
    "include_co_units": False,
}

ASSESSMENT: dict[str, object] = {
    "source": "三、1",
    "source_text": SOURCE_TEXT,
    "subjects": ["units", "areas"],
    "criteria": [
        {
            "code": "task-completion",
            "name_zh": "任务完成率",
            "name_en": "Task completion rate",
            "weight": 40,
            "measure": "task_completion_rate",
            "direction": "higher_better",
            "scale": {"kind": "fixed", "min": 0, "max": 100},
        },
        {
            "code": "update-timeliness",
            "name_zh": "进展报送及时率",
            "name_en": "Timeliness of progress updates",
            "weight": 20,
            "measure": "update_timeliness",
            "direction": "higher_better",
            "scale": {"kind": "fixed", "min": 0, "max": 100},
        },
        {
            "code": "goal-contribution",
            "name_zh": "目标贡献度",
            "name_en": "Contribution to plan goals",
            "weight": 25,
            "measure": "goal_contribution",
            "direction": "higher_better",
            "scale": {"kind": "relative"},
        },
        {
            "code": "project-lights",
            "name_zh": "重大项目亮灯情况",
            "name_en": "Major-project lights",
            "weight": 15,
            "measure": "project_lights",
            "direction": "higher_better",
            "scale": {"kind": "fixed", "min": 0, "max": 100},
        },
    ],
}
