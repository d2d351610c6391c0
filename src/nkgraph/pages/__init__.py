"""What a person reads: resources described, overviews, names, the article."""
