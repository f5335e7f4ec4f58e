"""Analysis of runs: summaries now; patterns and statistics with the experiments layer."""
