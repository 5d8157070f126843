"""`gongkai audit`: the county's own inspection against the national indicators and the 工作内容表 (附件1).

Stages: rules.py (the rules table and the county's adjustments and evidence) → sources.py, wording.py (what
the sources show) → site.py, built.py, a11y.py (what the built site shows) → work.py (附件1) → report/ (HTML,
XLSX, terminal) → trend.py (the CSV of every run and its chart).
run.py holds the one function that runs them; this package file imports nothing, so that chromium.py's
browser flags cost the tests and benchmarks nothing to import.
"""
