//go:build tools

// Package tools pins the Kubernetes control-plane binaries built by
// tools/envtest/build.sh. It is never compiled; it only records the
// dependency so that go.mod/go.sum stay tidy.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
