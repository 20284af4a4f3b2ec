// Phone configs of IBM watsonx Orchestrate: SIP trunks and Genesys Audio Connector configs.
package phonecfg
