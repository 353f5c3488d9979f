"""Supply-chain survey (上游供应链摸排, 二、7) and chain-node classification (强链/弱链/缺链, §3.5).

Pure engines only: no Django models here. ``links`` holds the survey answers as columns,
``analysis`` computes local supply rates, breakpoints, weak points, HHI and critical suppliers,
``classification`` classifies chain nodes by plan-configured rules.
"""
