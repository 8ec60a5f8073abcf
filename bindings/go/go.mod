module github.com/ferrolog/ferrolog/bindings/go

go 1.24
