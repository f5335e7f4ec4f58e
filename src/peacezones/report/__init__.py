"""Reports: the chronicle of events now; the HTML report, figures and map later."""
