require (
	a v1
