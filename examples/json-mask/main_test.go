// Unit tests for the json-mask plugin's masking and configuration parsing.
// They call plain Go functions, so no gateway and no test host are needed:
// run them natively with `go test ./...` in this folder.
//
// Unlike examples/redis-limiter/main_test.go this file needs no build
// constraint: it imports only the standard library and gjson, so it also
// passes `GOOS=wasip1 GOARCH=wasm go vet ./...`.
package main

import (
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// region: helpers

// maskConfig is config.json: phone and idCard, last 4 visible, "*".
func maskConfig() JSONMaskConfig {
	return JSONMaskConfig{fields: map[string]bool{"phone": true, "idCard": true}, keepLast: 4, maskChar: "*"}
}

func checkMask(t *testing.T, config JSONMaskConfig, in, want string, wantCount int) {
	t.Helper()
	if !gjson.Valid(in) {
		t.Fatalf("test input is not valid JSON: %s", in)
	}
	out, count := maskJSON([]byte(in), config)
	if string(out) != want || count != wantCount {
		t.Errorf("maskJSON(%s)\n got %s (%d masked)\nwant %s (%d masked)", in, out, count, want, wantCount)
	}
	if !gjson.ValidBytes(out) {
		t.Errorf("maskJSON(%s) is not valid JSON: %s", in, out)
	}
}

// endregion

// region: mask

func TestMaskJSON(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
		count          int
	}{
		{
			name:  "nested objects and arrays, key order kept",
			in:    `{"user":{"name":"Li Lei","phone":"13812345678","idCard":"110101199003071234"},"orders":[{"phone":"13900001111"}]}`,
			want:  `{"user":{"name":"Li Lei","phone":"*******5678","idCard":"**************1234"},"orders":[{"phone":"*******1111"}]}`,
			count: 3,
		},
		{
			name:  "whitespace and other values untouched",
			in:    "\n  {\n    \"id\": 1.50,\n    \"phone\" : \"13812345678\",\n    \"ok\": true\n  }\n",
			want:  "\n  {\n    \"id\": 1.50,\n    \"phone\" : \"*******5678\",\n    \"ok\": true\n  }\n",
			count: 1,
		},
		{
			name:  "a number is masked as a string, digits as written",
			in:    `{"phone":13812345678,"idCard":110101199003071234567}`,
			want:  `{"phone":"*******5678","idCard":"*****************4567"}`,
			count: 2,
		},
		{
			name:  "short values are masked completely",
			in:    `{"phone":"1234","idCard":"12","x":{"phone":""}}`,
			want:  `{"phone":"****","idCard":"**","x":{"phone":""}}`,
			count: 3,
		},
		{
			name:  "characters, not bytes",
			in:    `{"phone":"电话一三八一二三四五六七八"}`,
			want:  `{"phone":"*********五六七八"}`,
			count: 1,
		},
		{
			name:  "an array under a field is masked element by element",
			in:    `{"phone":["13812345678",13900001111,{"phone":"13700002222","note":"x"},null]}`,
			want:  `{"phone":["*******5678","*******1111",{"phone":"*******2222","note":"x"},null]}`,
			count: 3,
		},
		{
			name:  "an object under a field is searched, not masked",
			in:    `{"phone":{"home":"01012345678","phone":"13812345678"}}`,
			want:  `{"phone":{"home":"01012345678","phone":"*******5678"}}`,
			count: 1,
		},
		{
			name:  "null, booleans and other keys stay",
			in:    `{"phone":null,"idCard":false,"phoneNumber":"13812345678","name":"phone"}`,
			want:  `{"phone":null,"idCard":false,"phoneNumber":"13812345678","name":"phone"}`,
			count: 0,
		},
		{
			name:  "escaped keys and values",
			in:    `{"ph\u006fne":"+86\t138\"12345678"}`,
			want:  `{"ph\u006fne":"************5678"}`,
			count: 1,
		},
		{
			name:  "a top-level array of records",
			in:    `[{"phone":"13812345678"},{"phone":"13900001111"}]`,
			want:  `[{"phone":"*******5678"},{"phone":"*******1111"}]`,
			count: 2,
		},
		{
			name:  "duplicate keys are both masked",
			in:    `{"phone":"13812345678","phone":"13900001111"}`,
			want:  `{"phone":"*******5678","phone":"*******1111"}`,
			count: 2,
		},
		{name: "a lone string has no key", in: `"13812345678"`, want: `"13812345678"`, count: 0},
	} {
		t.Run(c.name, func(t *testing.T) { checkMask(t, maskConfig(), c.in, c.want, c.count) })
	}
}

func TestMaskOptions(t *testing.T) {
	config := maskConfig()
	config.keepLast = 0
	checkMask(t, config, `{"phone":"138"}`, `{"phone":"***"}`, 1)

	config = maskConfig()
	config.maskChar = "•"
	checkMask(t, config, `{"phone":"13812345678"}`, `{"phone":"•••••••5678"}`, 1)

	// A mask character that JSON must escape still gives valid JSON.
	config.maskChar = `"`
	checkMask(t, config, `{"phone":"138123"}`, `{"phone":"\"\"8123"}`, 1)
	// Kept characters are escaped as needed, too.
	config = maskConfig()
	config.keepLast = 2
	checkMask(t, config, `{"phone":"12\n\\"}`, `{"phone":"**\n\\"}`, 1)
}

// endregion

// region: config

func TestParseConfig(t *testing.T) {
	var config JSONMaskConfig
	if err := parseFields(gjson.Parse(`{"fields":["phone"]}`), &config); err != nil {
		t.Fatal(err)
	}
	if config.keepLast != 4 || config.maskChar != "*" || config.bufferLimit != 0 || !config.fields["phone"] {
		t.Errorf("defaults: got %+v", config)
	}

	config = JSONMaskConfig{}
	if err := parseFields(gjson.Parse(`{"fields":["phone","idCard"],"keepLast":0,"maskChar":"#","bufferLimit":1048576}`), &config); err != nil {
		t.Fatal(err)
	}
	if config.keepLast != 0 || config.maskChar != "#" || config.bufferLimit != 1048576 || len(config.fields) != 2 {
		t.Errorf("explicit: got %+v", config)
	}
}

func TestParseConfigRejects(t *testing.T) {
	for config, field := range map[string]string{
		`{}`:                                       "fields:",
		`{"fields":[]}`:                            "fields:",
		`{"fields":"phone"}`:                       "fields:",
		`{"fields":["phone",""]}`:                  "fields[1]:",
		`{"fields":["phone",7]}`:                   "fields[1]:",
		`{"fields":["phone"],"keepLast":-1}`:       "keepLast:",
		`{"fields":["phone"],"keepLast":2.5}`:      "keepLast:",
		`{"fields":["phone"],"keepLast":"4"}`:      "keepLast:",
		`{"fields":["phone"],"maskChar":""}`:       "maskChar:",
		`{"fields":["phone"],"maskChar":"**"}`:     "maskChar:",
		`{"fields":["phone"],"maskChar":1}`:        "maskChar:",
		`{"fields":["phone"],"bufferLimit":0}`:     "bufferLimit:",
		`{"fields":["phone"],"bufferLimit":-5}`:    "bufferLimit:",
		`{"fields":["phone"],"bufferLimit":"1MB"}`: "bufferLimit:",
	} {
		var parsed JSONMaskConfig
		err := parseFields(gjson.Parse(config), &parsed)
		if err == nil || !strings.HasPrefix(err.Error(), field) {
			t.Errorf("%s: got error %v, want one starting with %q", config, err, field)
		}
	}
}

// endregion
