// Command calculator evaluates resourcesPolicy expressions with OpenKruise v1.9.0's own resource
// calculator (pkg/util/calculator) and parses quantities with the apimachinery it is built with, for
// tools/kruise/test/calculator.integration.test.ts, which compares them with packages/core/src/resources.
//
// stdin: one JSON object a line, either
//
//	{"expr": "max(cpu*50%, 50m)", "variable": "cpu", "value": "200m"}   (value null: a zero Quantity{})
//	{"quantity": "1.500k"}
//
// stdout: one JSON object a line: {"error": "..."}, or for an expression {"quantity": "100m",
// "milli": "100"} or {"number": "0.5"} (strconv 'g' -1; NaN, +Inf, -Inf), for a quantity
// {"quantity": "1.500k", "milli": "1500000"} (MarshalJSON's text and MilliValue).
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"strconv"

	"github.com/openkruise/kruise/pkg/util/calculator"
	"k8s.io/apimachinery/pkg/api/resource"
)

type request struct {
	Expr     *string `json:"expr"`
	Variable string  `json:"variable"`
	Value    *string `json:"value"`
	Quantity *string `json:"quantity"`
}

type response struct {
	Error    string `json:"error,omitempty"`
	Quantity string `json:"quantity,omitempty"`
	Milli    string `json:"milli,omitempty"`
	Number   string `json:"number,omitempty"`
}

func quantityResponse(q resource.Quantity) response {
	text, _ := q.MarshalJSON()
	var s string
	_ = json.Unmarshal(text, &s)
	return response{Quantity: s, Milli: strconv.FormatInt(q.MilliValue(), 10)}
}

func answer(r request) response {
	if r.Quantity != nil {
		q, err := resource.ParseQuantity(*r.Quantity)
		if err != nil {
			return response{Error: err.Error()}
		}
		return quantityResponse(q)
	}
	if r.Expr == nil {
		return response{Error: "bad request"}
	}
	var value resource.Quantity
	if r.Value != nil {
		q, err := resource.ParseQuantity(*r.Value)
		if err != nil {
			return response{Error: "value: " + err.Error()}
		}
		value = q
	}
	c := calculator.NewCalculator()
	c.SetVariables(map[string]*calculator.Value{r.Variable: {IsQuantity: true, Quantity: value}})
	result, err := c.Parse(*r.Expr)
	if err != nil {
		return response{Error: err.Error()}
	}
	if result.IsQuantity {
		return quantityResponse(result.Quantity)
	}
	return response{Number: strconv.FormatFloat(result.Number, 'g', -1, 64)}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	encoder := json.NewEncoder(out)
	for in.Scan() {
		var r request
		if err := json.Unmarshal(in.Bytes(), &r); err != nil {
			_ = encoder.Encode(response{Error: "bad request: " + err.Error()})
			continue
		}
		_ = encoder.Encode(answer(r))
	}
}
