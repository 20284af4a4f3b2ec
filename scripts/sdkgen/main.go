// Command sdkgen writes the Node.js, Python and Go SDKs of the phonecfg package from its schema.json, with the
// code generators of github.com/pulumi/pulumi/pkg/v3 at the version the CLI is built at.
//
// `pulumi package gen-sdk` cannot do this here: it asks each language host to generate, and the hosts we can
// build (sdk/v3@v3.68.0) predate GeneratePackage. The generators themselves are plain Go functions.
//
//	sdkgen -schema schema.json -out sdk          writes sdk/nodejs, sdk/python, sdk/go (each directory replaced)
//
// Besides what the generators return it writes one file, sdk/go/go.mod: the generator only writes one for
// "supportPack" schemas, and this schema keeps the classic layout (sdk/go/phonecfg). Its module path is
// language.go.importBasePath without the package directory. Output depends on schema.json and this program's
// pinned module versions only: the same inputs give the same bytes.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// tool is the name the generated files' "do not edit" banners give.
const tool = "phonecfg-sdkgen"

// goSDKRequire is the Pulumi Go SDK version sdk/go/go.mod asks for: the CLI's own version.
const goSDKRequire = "v3.274.1"

// noReferences is the schema loader the generators require. The phonecfg schema refers to no other package,
// so any request for one is a mistake worth stopping on.
type noReferences struct{}

func (noReferences) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("schema.json refers to package %q; sdkgen loads no other package", pkg)
}

func (l noReferences) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, d.Version)
}

func (l noReferences) LoadPackageReference(pkg string, v *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("schema.json refers to package %q; sdkgen loads no other package", pkg)
}

func (l noReferences) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, d.Version)
}

// bind reads and validates the schema afresh: each generator records its language's info in the package, so
// each gets its own bound copy.
func bind(schemaPath string) (*schema.Package, error) {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", schemaPath, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", schemaPath, err)
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: %s", schemaPath, diags.Error())
	}
	return pkg, nil
}

// goMod is sdk/go/go.mod: the module that holds language.go.importBasePath.
func goMod(pkg *schema.Package) ([]byte, error) {
	if err := pkg.ImportLanguages(map[string]schema.Language{"go": gogen.Importer}); err != nil {
		return nil, err
	}
	info, _ := pkg.Language["go"].(gogen.GoPackageInfo)
	if info.ImportBasePath == "" {
		return nil, errors.New("schema.json sets no language.go.importBasePath")
	}
	module := path.Dir(info.ImportBasePath)
	return []byte(fmt.Sprintf("module %s\n\ngo 1.25\n\nrequire github.com/pulumi/pulumi/sdk/v3 %s\n",
		module, goSDKRequire)), nil
}

func generate(language, schemaPath string) (map[string][]byte, error) {
	pkg, err := bind(schemaPath)
	if err != nil {
		return nil, err
	}
	switch language {
	case "nodejs":
		// localSDK: the package compiles itself on `npm install` (postinstall runs tsc), so a program can
		// depend on this directory as it is checked in, without a publish step.
		return nodejs.GeneratePackage(tool, pkg, nil, nil, true, noReferences{})
	case "python":
		return python.GeneratePackage(tool, pkg, nil, noReferences{})
	case "go":
		files, err := gogen.GeneratePackage(tool, pkg, nil)
		if err != nil {
			return nil, err
		}
		if files["go.mod"], err = goMod(pkg); err != nil {
			return nil, err
		}
		return files, nil
	}
	return nil, fmt.Errorf("unknown language %q", language)
}

// write replaces dir with exactly files.
func write(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		target := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	schemaPath := flag.String("schema", "schema.json", "the package schema")
	out := flag.String("out", "sdk", "directory that receives nodejs/, python/ and go/")
	flag.Parse()
	for _, language := range []string{"nodejs", "python", "go"} {
		files, err := generate(language, *schemaPath)
		if err == nil {
			err = write(filepath.Join(*out, language), files)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "sdkgen: %s SDK: %v\n", language, err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "sdkgen: %s/%s: %d files\n", *out, language, len(files))
	}
}
