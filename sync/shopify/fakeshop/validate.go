package fakeshop

import (
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
)

// validate checks field names and selection shapes against the simulator's schema, so an
// unknown field fails the whole document before anything runs, as a schema-validating server
// does. Messages follow graphql-ruby's wording, which Shopify uses.
func (ec *execCtx) validate(rootType string, op *ast.OperationDefinition) []*gqlError {
	var errs []*gqlError
	checked := map[string]bool{}
	var walk func(typeName string, sel ast.SelectionSet, path []any)
	walk = func(typeName string, sel ast.SelectionSet, path []any) {
		td := ec.sc.types[typeName]
		for _, s := range sel {
			switch s := s.(type) {
			case *ast.Field:
				p := append(append([]any(nil), path...), s.Name)
				if s.Name == "__typename" {
					continue
				}
				def := td.fields[s.Name]
				if def == nil {
					errs = append(errs, &gqlError{Message: fmt.Sprintf("Field '%s' doesn't exist on type '%s'", s.Name, typeName),
						Locations: locOf(s.Position), Path: p,
						Extensions: map[string]any{"code": "undefinedField", "typeName": typeName, "fieldName": s.Name}})
					continue
				}
				switch {
				case def.typ == "" && len(s.SelectionSet) > 0:
					errs = append(errs, &gqlError{Message: fmt.Sprintf("Selections can't be made on scalars (field '%s' returns a scalar but has selections)", s.Name),
						Locations: locOf(s.Position), Path: p, Extensions: map[string]any{"code": "selectionMismatch"}})
				case def.typ != "" && len(s.SelectionSet) == 0:
					errs = append(errs, &gqlError{Message: fmt.Sprintf("Field must have selections (field '%s' returns %s but has no selections. Did you mean '%s { ... }'?)", s.Name, def.typ, s.Name),
						Locations: locOf(s.Position), Path: p, Extensions: map[string]any{"code": "selectionMismatch"}})
				case def.typ != "":
					walk(def.typ, s.SelectionSet, p)
				}
			case *ast.InlineFragment:
				cond := s.TypeCondition
				if cond == "" {
					cond = typeName
				}
				if ec.sc.types[cond] == nil {
					errs = append(errs, &gqlError{Message: fmt.Sprintf("No such type %s, so it can't be a fragment condition", cond),
						Locations: locOf(s.Position), Path: path, Extensions: map[string]any{"code": "undefinedType", "typeName": cond}})
					continue
				}
				walk(cond, s.SelectionSet, append(append([]any(nil), path...), "... on "+cond))
			case *ast.FragmentSpread:
				fd := ec.doc.Fragments.ForName(s.Name)
				if fd == nil {
					errs = append(errs, &gqlError{Message: fmt.Sprintf("Fragment %s was used, but not defined", s.Name),
						Locations: locOf(s.Position), Path: path, Extensions: map[string]any{"code": "useAndDefineFragment", "fragmentName": s.Name}})
					continue
				}
				if checked[s.Name] {
					continue
				}
				checked[s.Name] = true
				if ec.sc.types[fd.TypeCondition] == nil {
					errs = append(errs, &gqlError{Message: fmt.Sprintf("No such type %s, so it can't be a fragment condition", fd.TypeCondition),
						Locations: locOf(fd.Position), Path: []any{"fragment " + s.Name}, Extensions: map[string]any{"code": "undefinedType"}})
					continue
				}
				walk(fd.TypeCondition, fd.SelectionSet, []any{"fragment " + s.Name})
			}
		}
	}
	walk(rootType, op.SelectionSet, []any{string(op.Operation)})
	return errs
}

// Input arrays are capped at 250 items for all APIs (https://shopify.dev/docs/api/usage/limits);
// the error text is the one real responses carry ("The input array size of 251 is greater than
// the maximum allowed of 250.", MAX_INPUT_SIZE_EXCEEDED). productSet's input.variants may hold
// up to 2048 items (the variant limit; UNCONFIRMED that the array cap is lifted there).
const maxInputArray = 250

func (ec *execCtx) checkInputSizes(sel ast.SelectionSet, seen map[string]bool) []*gqlError {
	var errs []*gqlError
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			for _, a := range s.Arguments {
				v, _ := a.Value.Value(ec.vars)
				errs = append(errs, ec.checkValue(s, []any{s.Name, a.Name}, v)...)
			}
			errs = append(errs, ec.checkInputSizes(s.SelectionSet, seen)...)
		case *ast.InlineFragment:
			errs = append(errs, ec.checkInputSizes(s.SelectionSet, seen)...)
		case *ast.FragmentSpread:
			if fd := ec.doc.Fragments.ForName(s.Name); fd != nil && !seen[s.Name] {
				seen[s.Name] = true
				errs = append(errs, ec.checkInputSizes(fd.SelectionSet, seen)...)
			}
		}
	}
	return errs
}

func (ec *execCtx) checkValue(f *ast.Field, p []any, v any) []*gqlError {
	switch v := v.(type) {
	case []any:
		limit := maxInputArray
		if f.Name == "productSet" && len(p) == 3 && p[1] == "input" && p[2] == "variants" {
			limit = maxVariants
		}
		if len(v) > limit {
			return []*gqlError{{Message: fmt.Sprintf("The input array size of %d is greater than the maximum allowed of %d.", len(v), limit),
				Locations: locOf(f.Position), Path: p, Extensions: map[string]any{"code": "MAX_INPUT_SIZE_EXCEEDED"}}}
		}
		var errs []*gqlError
		for _, x := range v {
			errs = append(errs, ec.checkValue(f, p, x)...)
		}
		return errs
	case map[string]any:
		var errs []*gqlError
		for k, x := range v {
			errs = append(errs, ec.checkValue(f, append(append([]any(nil), p...), k), x)...)
		}
		return errs
	}
	return nil
}
