"""Reports: the chronicle of events, and report.html (summary, series, map, chronicle) with
PNG copies of its figures, built from a results folder by :func:`build.build_report`."""
