"""Import pipeline engine (数据导入): read messy government workbooks, map their columns to a dataset
declaration, parse cells into exact values and report every problem a clerk has to fix.

Pure Python, no Django models: the Django layer declares datasets with :class:`spec.DatasetSpec` and
persists the :class:`pipeline.ParseResult` that :func:`pipeline.parse_upload` returns.
"""
