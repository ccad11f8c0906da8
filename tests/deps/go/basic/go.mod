module example.com/mymodule

go 1.21

toolchain go1.21.5

require (
	example.com/othermodule v1.2.3
	example.com/thismodule v1.2.3
	example.com/thatmodule v1.2.3 // indirect
)

require golang.org/x/net v0.17.0 // indirect; needed by the tests

exclude example.com/thismodule v1.3.0

retract [v1.9.0, v1.9.5]
retract v1.0.0 // Published accidentally.
