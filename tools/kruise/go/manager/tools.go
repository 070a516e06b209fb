//go:build tools

// Package tools pins the OpenKruise manager built by tools/kruise/build.sh (its main package is the module root).
package tools

import (
	_ "github.com/openkruise/kruise"
)
