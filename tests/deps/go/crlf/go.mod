module example.com/x

require (
	example.com/y v1.0.0 // indirect
)
