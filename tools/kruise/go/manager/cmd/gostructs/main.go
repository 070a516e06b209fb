// Command gostructs prints packages/core/src/hash/goSidecarContainer.ts: the encoding/json layout of
// OpenKruise's SidecarContainer (v1alpha1, which v1beta1 matches field for field) and of every struct
// it reaches, from the Go types the kruise-manager of tools/kruise/build.sh is built from. The
// SidecarSet hash is sha256 over encoding/json's output for these types, so the core needs their field
// order, JSON names and omitempty flags. With -spec it prints goSidecarSetSpec.ts instead: the layout
// of the v1alpha1 SidecarSetSpec, which OpenKruise's mutating webhook re-encodes whole (so a stored
// SidecarSet has, say, no `volumes: []`). Run from tools/kruise/go/manager:
//
//	GOWORK=off go run -mod=readonly ./cmd/gostructs > ../../../../packages/core/src/hash/goSidecarContainer.ts
//	GOWORK=off go run -mod=readonly ./cmd/gostructs -spec > ../../../../packages/core/src/hash/goSidecarSetSpec.ts
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"runtime/debug"
	"sort"
	"strings"

	appsv1alpha1 "github.com/openkruise/kruise/apis/apps/v1alpha1"
	appsv1beta1 "github.com/openkruise/kruise/apis/apps/v1beta1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
)

var (
	quantity    = reflect.TypeOf(resource.Quantity{})
	intOrString = reflect.TypeOf(intstr.IntOrString{})
	marshaler   = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
)

type layout struct {
	order   []string
	structs map[string][]string
	pkgs    map[string]string
}

func newLayout() *layout { return &layout{structs: map[string][]string{}, pkgs: map[string]string{}} }

// typeName writes a field type the way goStruct.ts reads it.
func (l *layout) typeName(t reflect.Type) string {
	switch {
	case t == quantity:
		return "quantity"
	case t == intOrString:
		return "intOrString"
	case t.Kind() != reflect.Ptr && (t.Implements(marshaler) || reflect.PointerTo(t).Implements(marshaler)),
		t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		// Written by its own MarshalJSON (metav1.Time, FieldsV1) or as base64 ([]byte): kept as it is.
		return "json"
	}
	switch t.Kind() {
	case reflect.Ptr:
		return "*" + l.typeName(t.Elem())
	case reflect.Slice:
		return "[]" + l.typeName(t.Elem())
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			fail("map key of %s is not a string", t)
		}
		return "map[]" + l.typeName(t.Elem())
	case reflect.Struct:
		l.visit(t)
		return t.Name()
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "int"
	}
	fail("unsupported type %s", t)
	return ""
}

func (l *layout) visit(t reflect.Type) {
	if pkg, ok := l.pkgs[t.Name()]; ok {
		if pkg != t.PkgPath() {
			fail("two structs named %s (%s, %s)", t.Name(), pkg, t.PkgPath())
		}
		return
	}
	l.pkgs[t.Name()] = t.PkgPath()
	l.order = append(l.order, t.Name())
	var fields []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, options, _ := strings.Cut(tag, ",")
		omitempty := strings.Contains(","+options+",", ",omitempty,")
		typ := l.typeName(f.Type)
		switch {
		case f.Anonymous && name == "":
			if f.Type.Kind() != reflect.Struct {
				fail("%s.%s: embedded non-struct", t.Name(), f.Name)
			}
			fields = append(fields, fmt.Sprintf("['', '%s', false]", typ))
		case name == "":
			fail("%s.%s has no JSON name", t.Name(), f.Name)
		default:
			fields = append(fields, fmt.Sprintf("['%s', '%s', %v]", name, typ, omitempty))
		}
	}
	l.structs[t.Name()] = fields
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "gostructs: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	spec := len(os.Args) > 1 && os.Args[1] == "-spec"
	root, constName, what := reflect.TypeOf(appsv1alpha1.SidecarContainer{}), "SIDECAR_CONTAINER_STRUCTS", "SidecarContainer (apps.kruise.io v1alpha1; v1beta1 is the\n// same)"
	if spec {
		root, constName, what = reflect.TypeOf(appsv1alpha1.SidecarSetSpec{}), "SIDECARSET_SPEC_STRUCTS", "SidecarSetSpec (apps.kruise.io v1alpha1, as its mutating\n// webhook re-encodes a v1alpha1 SidecarSet)"
	}
	alpha := newLayout()
	alpha.visit(root)
	if !spec {
		beta := newLayout()
		beta.visit(reflect.TypeOf(appsv1beta1.SidecarContainer{}))
		if !reflect.DeepEqual(alpha.structs, beta.structs) {
			fail("v1alpha1 and v1beta1 SidecarContainer differ in layout; the hash needs both")
		}
	}
	pkgs := map[string]bool{}
	for _, p := range alpha.pkgs {
		pkgs[p] = true
	}
	var pkgList []string
	for p := range pkgs {
		pkgList = append(pkgList, p)
	}
	sort.Strings(pkgList)

	versions := map[string]string{}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			versions[m.Path] = m.Version
			if m.Replace != nil {
				versions[m.Path] = m.Replace.Version
			}
		}
	}
	fmt.Println("// Code generated by tools/kruise/go/manager/cmd/gostructs. DO NOT EDIT.")
	fmt.Printf("// The encoding/json layout of OpenKruise's %s and of every struct it reaches, from the Go types its manager is built from:\n", what)
	for _, p := range pkgList {
		module := ""
		for m := range versions {
			if strings.HasPrefix(p, m+"/") && len(m) > len(module) {
				module = m
			}
		}
		fmt.Printf("//   %s (%s %s)\n", p, module, versions[module])
	}
	fmt.Println("// Each field: [JSON name ('' for an embedded struct, whose fields are written in its place), type, omitempty],")
	if spec {
		fmt.Println("// in declaration order. Types: string, int, bool, quantity, intOrString, json (its own MarshalJSON, kept as is),")
		fmt.Println("// a struct's name, *T, []T, map[]T.")
	} else {
		fmt.Println("// in declaration order. Types: string, int, bool, quantity, intOrString, a struct's name, *T, []T, map[]T.")
	}
	fmt.Println("import type { GoStructs } from './goStruct.js';")
	fmt.Println()
	fmt.Printf("export const %s: GoStructs = {\n", constName)
	for _, name := range alpha.order {
		fmt.Printf("  %s: [\n", name)
		for _, f := range alpha.structs[name] {
			fmt.Printf("    %s,\n", f)
		}
		fmt.Println("  ],")
	}
	fmt.Println("};")
}
