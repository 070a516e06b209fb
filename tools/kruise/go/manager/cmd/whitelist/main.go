// Command whitelist decides SidecarSets' patchPodMetadata against a whitelist with OpenKruise v1.9.0's
// own sidecarcontrol.ValidateSidecarSetPatchMetadataWhitelist, reading the ConfigMap
// kruise-system/kruise-configuration from a fake client, for
// tools/kruise/test/patchMetadataWhitelistOracle.integration.test.ts, which compares it with
// packages/core/src/validation/patchMetadataWhitelist.
//
// stdin: one JSON object a line:
//
//	{"data": {"SidecarSet_PatchPodMetadata_WhiteList": "..."}, "labels": {"a": "b"}, "patches": [{"k": "v"}]}
//
// ("data" null or absent: no ConfigMap; each entry of "patches" is one patchPodMetadata's annotations)
// stdout: one JSON object a line: {"error": "..."} when the SidecarSet is refused, {} when admitted.
package main

import (
	"bufio"
	"encoding/json"
	"os"

	appsv1beta1 "github.com/openkruise/kruise/apis/apps/v1beta1"
	"github.com/openkruise/kruise/pkg/control/sidecarcontrol"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
)

type request struct {
	Data    *map[string]string  `json:"data"`
	Labels  map[string]string   `json:"labels"`
	Patches []map[string]string `json:"patches"`
}

type answer struct {
	Error string `json:"error,omitempty"`
}

func main() {
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		panic(err)
	}
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	encoder := json.NewEncoder(out)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			panic(err)
		}
		builder := fake.NewClientBuilder().WithScheme(scheme)
		if req.Data != nil {
			builder = builder.WithObjects(&corev1.ConfigMap{
				ObjectMeta: metav1.ObjectMeta{Namespace: "kruise-system", Name: "kruise-configuration"},
				Data:       *req.Data,
			})
		}
		sidecarSet := &appsv1beta1.SidecarSet{ObjectMeta: metav1.ObjectMeta{Name: "s", Labels: req.Labels}}
		for _, annotations := range req.Patches {
			sidecarSet.Spec.PatchPodMetadata = append(sidecarSet.Spec.PatchPodMetadata, appsv1beta1.SidecarSetPatchPodMetadata{
				Annotations: annotations,
				PatchPolicy: appsv1beta1.SidecarSetOverwritePatchPolicy,
			})
		}
		var a answer
		if err := sidecarcontrol.ValidateSidecarSetPatchMetadataWhitelist(builder.Build(), sidecarSet); err != nil {
			a.Error = err.Error()
		}
		if err := encoder.Encode(a); err != nil {
			panic(err)
		}
	}
	if err := in.Err(); err != nil {
		panic(err)
	}
}
