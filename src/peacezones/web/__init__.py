"""``peacezones serve``: a web page where a lever is changed and the story is run again."""
