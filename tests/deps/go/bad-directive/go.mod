module example.com/x

go 1.21

requre example.com/y v1.0.0
