// A module with every kind of replacement.
module example.com/app

go 1.22

require (
	"example.com/quoted" v1.0.0
	github.com/pkg/errors v0.9.1
	golang.org/x/text v0.3.0
	example.com/fork v1.4.0
	`example.com/local` v0.0.0-00010101000000-000000000000
)

replace golang.org/x/text v0.3.0 => golang.org/x/text v0.3.8
replace golang.org/x/text => golang.org/x/text v0.14.0

replace (
	example.com/fork => github.com/someone/fork v1.4.1
	example.com/local => ./local
	example.com/unused => example.com/unused v9.9.9
	github.com/pkg/errors v0.9.0 => github.com/pkg/errors v0.9.2
)

godebug default=go1.21

tool golang.org/x/tools/cmd/stringer
