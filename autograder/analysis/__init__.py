"""The class in numbers, computed once from the results: the summary every output reads, and similar answers."""
