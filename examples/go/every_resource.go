package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"example.com/pulumi-phonecfg/sdk/go/phonecfg"
)

// everyResource is every resource and function of the package (`-program every-resource`, the program of
// examples/yaml/every-resource): getAgent, a SIP trunk whose number is its own PhoneNumber resource, and a Genesys
// Audio Connector config with an agent attached by an AgentAttachment.
func everyResource(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	environment := cfg.Get("agentEnvironment")
	if environment == "" {
		environment = "live"
	}
	supportNumber := cfg.Get("supportNumber")
	if supportNumber == "" {
		supportNumber = "+14155550100"
	}
	// --8<-- [start:trunk]
	customerCare := phonecfg.GetAgentOutput(ctx, phonecfg.GetAgentOutputArgs{
		Name: pulumi.String("customer-care"), Environment: pulumi.String(environment),
	})
	billing := phonecfg.GetAgentOutput(ctx, phonecfg.GetAgentOutputArgs{
		Name: pulumi.String("billing"), Environment: pulumi.String(environment),
	})

	// No PhoneNumbers here: the PhoneNumber resources own the trunk's numbers (declaring the list would own it all).
	supportTrunk, err := phonecfg.NewPhoneConfig(ctx, "supportTrunk", &phonecfg.PhoneConfigArgs{
		Name: pulumi.String("Support SIP trunk"),
		Security: &phonecfg.SecurityArgs{
			SecureTrunking: pulumi.Bool(true),
			Authentication: pulumi.Bool(true),
			Username:       pulumi.String("support-trunk"),
			Password:       cfg.RequireSecret("sipPassword"),
		},
	})
	if err != nil {
		return err
	}
	if _, err := phonecfg.NewPhoneNumber(ctx, "supportLine", &phonecfg.PhoneNumberArgs{
		ConfigId:      supportTrunk.ID().ToStringOutput(),
		PhoneNumber:   pulumi.String(supportNumber),
		Description:   pulumi.String("Support hotline"),
		AgentId:       customerCare.AgentId(),
		EnvironmentId: customerCare.EnvironmentId(),
	}); err != nil {
		return err
	}
	// --8<-- [end:trunk]

	// No AttachedEnvironments here: the AgentAttachment resources own the attached agents.
	genesys, err := phonecfg.NewPhoneConfig(ctx, "genesysAudioConnector", &phonecfg.PhoneConfigArgs{
		Name:            pulumi.String("Genesys Audio Connector"),
		ServiceProvider: pulumi.String("genesys_audio_connector"),
		Security: &phonecfg.SecurityArgs{
			ApiKey:       cfg.RequireSecret("genesysApiKey"),
			ClientSecret: cfg.RequireSecret("genesysClientSecret"), // base64
		},
	})
	if err != nil {
		return err
	}
	billingAttachment, err := phonecfg.NewAgentAttachment(ctx, "billingAttachment", &phonecfg.AgentAttachmentArgs{
		ConfigId:        genesys.ID().ToStringOutput(),
		AgentId:         billing.AgentId(),
		EnvironmentId:   billing.EnvironmentId(),
		AgentName:       billing.AgentName(),
		EnvironmentName: billing.EnvironmentName(),
	})
	if err != nil {
		return err
	}

	ctx.Export("sipUri", supportTrunk.SipUri)                // give this to the carrier
	ctx.Export("connectorId", billingAttachment.ConnectorId) // enter these two in Genesys Cloud
	ctx.Export("audioConnectUri", billingAttachment.AudioConnectUri)
	return nil
}
