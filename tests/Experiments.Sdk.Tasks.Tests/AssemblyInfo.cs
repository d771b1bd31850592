using System.Runtime.Versioning;

// The native-step tests work on the Linux binding with Linux tools (ldd, ln, stat) and file modes;
// this project's machines and CI are Linux (Debian 12).
[assembly: SupportedOSPlatform("linux")]
