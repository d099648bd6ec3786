package fakeshop

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// bulkList is a connection's nodes inside a bulk query result; each becomes a JSONL line.
type bulkList struct{ nodes []*omap }

// bulkConnection resolves every node of c with the selection made under nodes{…} and
// edges{node{…}}.
func (ec *execCtx) bulkConnection(def *fieldDef, c *connection, sel ast.SelectionSet, path []any) *bulkList {
	nodeSel := ec.nodeSelection(def, sel)
	out := &bulkList{}
	for i, it := range c.items {
		tn := def.node
		if t := ec.sc.types[tn]; t != nil && len(t.possible) > 0 {
			tn = typeNameOf(it)
		}
		o, _ := ec.execObject(tn, nodeSel, it, append(path, i))
		out.nodes = append(out.nodes, o)
	}
	return out
}

// bulkQuery executes a bulk query and flattens it to JSONL lines. Caller holds sh.mu.
func (sh *Shop) bulkQuery(tok *accessToken, op *bulkOp, doc *ast.QueryDocument) (*bulkJob, string) {
	ec := &execCtx{sh: sh, sc: getSchema(), tok: tok, clientID: op.clientID, version: SupportedVersions[len(SupportedVersions)-1],
		doc: doc, vars: map[string]any{}, now: sh.srv.Now(), bulk: true}
	data, _ := ec.execObject("QueryRoot", doc.Operations[0].SelectionSet, nil, nil)
	for _, e := range ec.errors {
		if e.Extensions["code"] == "ACCESS_DENIED" {
			return nil, "ACCESS_DENIED"
		}
	}
	var lines [][]byte
	roots := []int{0}
	var emit func(o *omap, parent any)
	emit = func(o *omap, parent any) {
		var children []*bulkList
		extractLists(o, &children)
		r := roots[len(roots)-1]
		if parent != nil {
			o.set("__parentId", parent)
		} else {
			r++
		}
		line, _ := json.Marshal(o)
		lines = append(lines, line)
		roots = append(roots, r)
		id, _ := o.get("id")
		for _, l := range children {
			for _, n := range l.nodes {
				emit(n, id)
			}
		}
	}
	for _, k := range data.keys {
		if l, ok := data.vals[k].(*bulkList); ok {
			for _, n := range l.nodes {
				emit(n, nil)
			}
		} else if o, ok := data.vals[k].(*omap); ok {
			// A top-level object (product(id:) { variants { … } }) is a root line too.
			emit(o, nil)
		}
	}
	return linesJob(lines, roots), ""
}

// extractLists removes nested connections from o (at any object depth) and returns them.
func extractLists(o *omap, out *[]*bulkList) {
	for _, k := range append([]string(nil), o.keys...) {
		switch v := o.vals[k].(type) {
		case *bulkList:
			*out = append(*out, v)
			o.del(k)
		case *omap:
			extractLists(v, out)
		}
	}
}

func mutBulkRunMutation(ec *execCtx, _ any, a map[string]any) (any, error) {
	const et = "BulkMutationUserError"
	fail := func(e *mobj) (any, error) {
		return obj("BulkOperationRunMutationPayload", "bulkOperation", nil, "userErrors", []any{e}), nil
	}
	if err := ec.bulkAccessError("MUTATION"); err != nil {
		return nil, err
	}
	if e := ec.bulkLimitError("MUTATION", et); e != nil {
		return fail(e)
	}
	key := str(a["stagedUploadPath"])
	file, ok := ec.sh.bulk.files[key]
	if !ok || !ec.sh.bulk.staged[key] {
		return fail(uerr(et, path("stagedUploadPath"), "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.", "NO_SUCH_FILE"))
	}
	m := str(a["mutation"])
	doc, err := parser.ParseQuery(&ast.Source{Input: m})
	if err != nil || len(doc.Operations) != 1 || doc.Operations[0].Operation != ast.Mutation || len(doc.Operations[0].SelectionSet) != 1 {
		return fail(uerr(et, path("mutation"), "Invalid mutation: the document must hold exactly one mutation with one field.", "INVALID_MUTATION"))
	}
	op := ec.sh.newBulkOp(ec, "MUTATION", m)
	tok, version := ec.tok, ec.version
	ec.sh.runBulk(op, func() (*bulkJob, string) { return ec.sh.mutationJob(tok, op, version, m, file), "" })
	return obj("BulkOperationRunMutationPayload", "bulkOperation", op, "userErrors", []any{}), nil
}

// mutationJob runs the mutation once per non-empty line of the staged file, a few lines at a
// time as the operation advances. Caller holds sh.mu whenever the job steps.
func (sh *Shop) mutationJob(tok *accessToken, op *bulkOp, version, m string, file []byte) *bulkJob {
	var inputs []string
	sc := bufio.NewScanner(bytes.NewReader(file))
	sc.Buffer(make([]byte, 1<<20), 100<<20)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			inputs = append(inputs, line)
		}
	}
	field := ""
	if doc, err := parser.ParseQuery(&ast.Source{Input: m}); err == nil && len(doc.Operations) == 1 && len(doc.Operations[0].SelectionSet) == 1 {
		if f, ok := doc.Operations[0].SelectionSet[0].(*ast.Field); ok {
			field = f.Name
		}
	}
	failLines := sh.faults.bulkLineFailures()
	var out bytes.Buffer
	ends := []int{0} // ends[n]: bytes of output after n lines
	return &bulkJob{
		total: len(inputs),
		step: func(from, to int) {
			for n := from; n < to; n++ {
				res := newOmap()
				var vars map[string]any
				dec := json.NewDecoder(strings.NewReader(inputs[n]))
				dec.UseNumber()
				if failLines[n] {
					// A line that broke on Shopify's side: a top-level error on that line
					// only, nothing applied (simulator choice for a partial failure).
					res.set("errors", []*gqlError{{Message: "Internal error. Looks like something went wrong on our end.",
						Extensions: map[string]any{"code": "INTERNAL_SERVER_ERROR"}}})
				} else if err := dec.Decode(&vars); err != nil {
					res.set("errors", []*gqlError{{Message: "Invalid JSON on this line: " + err.Error()}})
				} else {
					r := sh.runGraphQL(tok, op.clientID, version, gqlRequest{Query: m, Variables: vars}, false)
					for _, k := range r.keys {
						res.set(k, r.vals[k])
					}
				}
				sh.stats.BulkLines[field]++
				res.set("__lineNumber", n)
				b, _ := json.Marshal(res)
				out.Write(b)
				out.WriteByte('\n')
				ends = append(ends, out.Len())
			}
		},
		out:   func(n int) []byte { return append([]byte(nil), out.Bytes()[:ends[n]]...) },
		roots: func(n int) int { return n },
	}
}

// mutStagedUploadsCreate hands out upload targets on the shop's own listener, shaped like the
// Google Cloud Storage form targets Shopify returns (url + parameters incl. key).
func mutStagedUploadsCreate(ec *execCtx, _ any, a map[string]any) (any, error) {
	var targets []any
	for _, x := range asList(a["input"]) {
		in := asMap(x)
		name := str(in["filename"])
		if name == "" {
			name = "upload"
		}
		key := fmt.Sprintf("tmp/%d/bulk/%s/%s", ec.sh.id, randomHex(8), name)
		if r := str(in["resource"]); r != "BULK_MUTATION_VARIABLES" {
			key = fmt.Sprintf("tmp/%d/%s/%s/%s", ec.sh.id, strings.ToLower(r), randomHex(8), name)
		}
		ec.sh.bulk.staged[key] = true
		params := []any{
			obj("StagedUploadParameter", "name", "key", "value", key),
			obj("StagedUploadParameter", "name", "Content-Type", "value", str(in["mimeType"])),
			obj("StagedUploadParameter", "name", "success_action_status", "value", "201"),
			obj("StagedUploadParameter", "name", "acl", "value", "private"),
			obj("StagedUploadParameter", "name", "policy", "value", randomHex(24)),
			obj("StagedUploadParameter", "name", "x-goog-credential", "value", "fakeshop@simulated/"+ec.now.Format("20060102")+"/auto/storage/goog4_request"),
			obj("StagedUploadParameter", "name", "x-goog-algorithm", "value", "GOOG4-RSA-SHA256"),
			obj("StagedUploadParameter", "name", "x-goog-date", "value", ec.now.UTC().Format("20060102T150405Z")),
			obj("StagedUploadParameter", "name", "x-goog-signature", "value", randomHex(32)),
		}
		targets = append(targets, obj("StagedMediaUploadTarget", "url", ec.sh.url+"/staged-uploads",
			"resourceUrl", ec.sh.url+"/staged-uploads/"+key, "parameters", params))
	}
	return obj("StagedUploadsCreatePayload", "stagedTargets", targets, "userErrors", []any{}), nil
}

const maxStagedUpload = 100 << 20 // 100 MB (faster-bulk-operations changelog, FACTS §8)

func (sh *Shop) handleStagedUpload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxStagedUpload+1<<20)
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		xmlError(w, http.StatusBadRequest, "InvalidArgument", "Expected a multipart/form-data upload.")
		return
	}
	key := r.FormValue("key")
	f, _, err := r.FormFile("file")
	if err != nil {
		xmlError(w, http.StatusBadRequest, "InvalidArgument", "The file field is missing.")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxStagedUpload+1))
	if err != nil || len(data) > maxStagedUpload {
		xmlError(w, http.StatusBadRequest, "EntityTooLarge", "Your proposed upload is larger than the maximum object size specified in your Policy Document.")
		return
	}
	sh.mu.Lock()
	ok := sh.bulk.staged[key]
	if ok {
		sh.bulk.files[key] = data
	}
	sh.mu.Unlock()
	if !ok {
		xmlError(w, http.StatusForbidden, "AccessDenied", "Invalid key or policy.")
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, "<?xml version='1.0' encoding='UTF-8'?><PostResponse><Location>%s/staged-uploads/%s</Location><Bucket>fakeshop</Bucket><Key>%s</Key></PostResponse>", sh.url, key, key)
}

func xmlError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<?xml version='1.0' encoding='UTF-8'?><Error><Code>%s</Code><Message>%s</Message></Error>", code, msg)
}

func (sh *Shop) handleBulkResult(w http.ResponseWriter, r *http.Request) {
	sh.mu.Lock()
	data, ok := sh.bulk.files[r.PathValue("key")]
	sh.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/jsonl")
	_, _ = w.Write(data)
}
