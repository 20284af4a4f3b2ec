// Command phonecfg-go deploys a SIP trunk and a Genesys Audio Connector config (the configs of examples/yaml and
// examples/typescript) with the generated Go SDK (sdk/go) and the native plugin pulumi-resource-phonecfg, as a
// Pulumi Automation API program: the Pulumi program is the function below, run inside this process, so no Go
// language host is needed, only the `pulumi` CLI and the plugin on PATH.
//
//	go run . [-program quickstart|every-resource] [-stack dev] [-workdir .workspace] [-config key=value]... \
//	    up|preview|plan|destroy
//
// The tenant and the credentials come from the environment and become stack config (the credentials as
// secrets, never printed): PHONECFG_URL, PHONECFG_API_KEY or PHONECFG_TOKEN, SIP_PASSWORD, GENESYS_API_KEY,
// GENESYS_CLIENT_SECRET (base64). `-config` sets plain stack config the program reads (agentEnvironment,
// supportNumber, billingNumber, billingDescription). `preview` fails when anything would change; `plan` prints
// what would change, one `<op>=<count>` line each. `-program every-resource` runs every_resource.go instead: every
// resource and function of the package, the program of examples/yaml/every-resource.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"example.com/pulumi-phonecfg/sdk/go/phonecfg"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// programs are the Pulumi programs this command runs (`-program`), by name, each its own Pulumi project.
var programs = map[string]struct {
	project string
	run     pulumi.RunFunc
}{
	"quickstart":     {"phonecfg-go", program},
	"every-resource": {"phonecfg-go-every-resource", everyResource},
}

// program is the Pulumi program: agents by name, then the two configs.
func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	environment := cfg.Get("agentEnvironment")
	if environment == "" {
		environment = "live"
	}
	orDefault := func(key, fallback string) string {
		if value := cfg.Get(key); value != "" {
			return value
		}
		return fallback
	}
	// Agent and environment UUIDs differ per tenant: look them up by name in the stack's own tenant.
	customerCare := phonecfg.GetAgentOutput(ctx, phonecfg.GetAgentOutputArgs{
		Name: pulumi.String("customer-care"), Environment: pulumi.String(environment),
	})
	billing := phonecfg.GetAgentOutput(ctx, phonecfg.GetAgentOutputArgs{
		Name: pulumi.String("billing"), Environment: pulumi.String(environment),
	})

	supportTrunk, err := phonecfg.NewPhoneConfig(ctx, "supportTrunk", &phonecfg.PhoneConfigArgs{
		Name:        pulumi.String("Support SIP trunk"),
		Description: pulumi.String("Inbound support line from the carrier"),
		Security: &phonecfg.SecurityArgs{
			SecureTrunking: pulumi.Bool(true),
			Authentication: pulumi.Bool(true),
			Username:       pulumi.String("support-trunk"),
			Password:       cfg.RequireSecret("sipPassword"),
		},
		CustomInviteHeaders: phonecfg.CustomInviteHeaderArray{
			&phonecfg.CustomInviteHeaderArgs{Name: pulumi.String("X-Customer-Id")},
		},
		ErrorHandling: &phonecfg.ErrorHandlingArgs{
			FallbackSipUri: pulumi.String(orDefault("fallbackSipUri", "sip:overflow@pbx.example.com")),
			TransferFailure: &phonecfg.TransferFailureArgs{
				ReplyMessage:   pulumi.String("Sorry, nobody can take your call right now."),
				DisconnectCall: pulumi.Bool(true),
			},
		},
		PhoneNumbers: phonecfg.PhoneNumberTypeArray{
			&phonecfg.PhoneNumberTypeArgs{
				PhoneNumber:   pulumi.String(orDefault("supportNumber", "+14155550100")),
				Description:   pulumi.String("Support hotline"),
				AgentId:       customerCare.AgentId(),
				EnvironmentId: customerCare.EnvironmentId(),
			},
			&phonecfg.PhoneNumberTypeArgs{
				PhoneNumber:   pulumi.String(orDefault("billingNumber", "+14155550101")),
				Description:   pulumi.String(orDefault("billingDescription", "Billing questions")),
				AgentId:       billing.AgentId(),
				EnvironmentId: billing.EnvironmentId(),
			},
		},
	})
	if err != nil {
		return err
	}

	genesys, err := phonecfg.NewPhoneConfig(ctx, "genesysAudioConnector", &phonecfg.PhoneConfigArgs{
		Name:            pulumi.String("Genesys Audio Connector"),
		ServiceProvider: pulumi.String("genesys_audio_connector"),
		Security: &phonecfg.SecurityArgs{
			ApiKey:       cfg.RequireSecret("genesysApiKey"),
			ClientSecret: cfg.RequireSecret("genesysClientSecret"),
		},
		AttachedEnvironments: phonecfg.AttachedEnvironmentArray{
			&phonecfg.AttachedEnvironmentArgs{AgentId: customerCare.AgentId(), EnvironmentId: customerCare.EnvironmentId()},
			&phonecfg.AttachedEnvironmentArgs{AgentId: billing.AgentId(), EnvironmentId: billing.EnvironmentId()},
		},
	})
	if err != nil {
		return err
	}

	ctx.Export("supportTrunkId", supportTrunk.ID())
	ctx.Export("sipUri", supportTrunk.SipUri) // give this to the carrier
	ctx.Export("genesysId", genesys.ID())
	ctx.Export("audioConnectUri", genesys.AudioConnectUri)
	ctx.Export("connectors", genesys.Connectors)
	return nil
}

// configFlags collects repeated `-config key=value`.
type configFlags map[string]string

func (c configFlags) String() string { return fmt.Sprint(map[string]string(c)) }

func (c configFlags) Set(value string) error {
	key, val, ok := strings.Cut(value, "=")
	if !ok || key == "" {
		return fmt.Errorf("want key=value, got %q", value)
	}
	c[key] = val
	return nil
}

// stackConfig is the stack config from the environment (credentials as secrets) and the -config flags.
func stackConfig(extra configFlags) (auto.ConfigMap, error) {
	values := auto.ConfigMap{}
	url := os.Getenv("PHONECFG_URL")
	if url == "" {
		return nil, errors.New("set PHONECFG_URL to the instance URL")
	}
	values["phonecfg:url"] = auto.ConfigValue{Value: url}
	switch {
	case os.Getenv("PHONECFG_API_KEY") != "":
		values["phonecfg:apiKey"] = auto.ConfigValue{Value: os.Getenv("PHONECFG_API_KEY"), Secret: true}
	case os.Getenv("PHONECFG_TOKEN") != "":
		values["phonecfg:token"] = auto.ConfigValue{Value: os.Getenv("PHONECFG_TOKEN"), Secret: true}
	default:
		return nil, errors.New("set PHONECFG_API_KEY (or PHONECFG_TOKEN)")
	}
	for env, key := range map[string]string{
		"SIP_PASSWORD": "sipPassword", "GENESYS_API_KEY": "genesysApiKey", "GENESYS_CLIENT_SECRET": "genesysClientSecret",
	} {
		value := os.Getenv(env)
		if value == "" {
			return nil, fmt.Errorf("set %s", env)
		}
		values[key] = auto.ConfigValue{Value: value, Secret: true}
	}
	for key, value := range extra {
		values[key] = auto.ConfigValue{Value: value}
	}
	return values, nil
}

func run(ctx context.Context, programName, stackName, workDir, command string, extra configFlags) error {
	chosen, ok := programs[programName]
	if !ok {
		return fmt.Errorf("unknown program %q: want quickstart or every-resource", programName)
	}
	if err := os.MkdirAll(workDir, 0o700); err != nil {
		return err
	}
	// The workspace directory keeps Pulumi.<stack>.yaml (the stack's encryption salt) between runs.
	stack, err := auto.UpsertStackInlineSource(ctx, stackName, chosen.project, chosen.run,
		auto.WorkDir(workDir), auto.SecretsProvider("passphrase"))
	if err != nil {
		return err
	}
	values, err := stackConfig(extra)
	if err != nil {
		return err
	}
	if err := stack.SetAllConfig(ctx, values); err != nil {
		return err
	}
	switch command {
	case "up":
		result, err := stack.Up(ctx, optup.ProgressStreams(os.Stdout))
		if err != nil {
			return err
		}
		fmt.Printf("supportTrunkId=%v\ngenesysId=%v\nsipUri=%v\n", result.Outputs["supportTrunkId"].Value,
			result.Outputs["genesysId"].Value, result.Outputs["sipUri"].Value)
		return nil
	case "preview":
		_, err := stack.Preview(ctx, optpreview.ExpectNoChanges(), optpreview.ProgressStreams(os.Stdout))
		return err
	case "plan":
		result, err := stack.Preview(ctx)
		if err != nil {
			return err
		}
		ops := make([]string, 0, len(result.ChangeSummary))
		for op, count := range result.ChangeSummary {
			ops = append(ops, fmt.Sprintf("%s=%d", op, count))
		}
		sort.Strings(ops)
		fmt.Println(strings.Join(ops, "\n"))
		return nil
	case "destroy":
		_, err := stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stdout))
		return err
	}
	return fmt.Errorf("unknown command %q: want up, preview, plan or destroy", command)
}

func main() {
	programName := flag.String("program", "quickstart", "the program: quickstart or every-resource")
	stackName := flag.String("stack", "dev", "stack name")
	workDir := flag.String("workdir", ".workspace", "directory for the stack settings (Pulumi.<stack>.yaml)")
	extra := configFlags{}
	flag.Var(extra, "config", "plain stack config key=value (repeatable)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: phonecfg-go [-program quickstart|every-resource] [-stack dev] [-workdir dir] "+
			"[-config key=value]... up|preview|plan|destroy")
		os.Exit(2)
	}
	if err := run(context.Background(), *programName, *stackName, *workDir, flag.Arg(0), extra); err != nil {
		fmt.Fprintf(os.Stderr, "phonecfg-go: %v\n", err)
		os.Exit(1)
	}
}
