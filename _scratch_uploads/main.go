package main

import (
	"context"
	"fmt"
	"os"

	"landatlas/geodata"
	"landatlas/internal/store"
)

func main() {
	ctx := context.Background()
	db, err := store.Open(ctx, os.Args[1])
	if err != nil { panic(err) }
	if _, err := store.Migrate(ctx, db); err != nil { panic(err) }
	c, err := store.LoadReference(ctx, db, geodata.FS)
	fmt.Println(c, err)
}
