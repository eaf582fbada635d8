package feeds

//go:generate go run ./testdata/gen1251
