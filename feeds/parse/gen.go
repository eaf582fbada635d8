package parse

//go:generate go run ./testdata/gen1251
