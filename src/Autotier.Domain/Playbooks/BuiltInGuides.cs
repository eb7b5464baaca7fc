using Autotier.Domain.Classification;
using Autotier.Domain.Clients;
using PlaybookIds = Autotier.Domain.Classification.Playbooks;

namespace Autotier.Domain.Playbooks;

/// <summary>
/// The built-in guides a playbook sends when the client's knowledge base has no better article,
/// specialised with the client's own products (the TypeScript src/domain/guides.ts, same wording),
/// plus one per peripheral the classifier names: a mouse never gets the printer guide.
/// </summary>
public static class BuiltInGuides
{
    /// <summary>After a Temporary Access Pass went to the user's verified personal address.</summary>
    public static Guide TemporaryPass(string maskedAddress, int minutes) => new(
        "builtin-temporary-access-pass",
        "Getting back into your account with a one-time pass",
        [
            "Open https://aka.ms/mysecurityinfo and enter your work email address.",
            "When asked for a password, choose \"Use a Temporary Access Pass\" and type the pass from the other email.",
            "Set up the Microsoft Authenticator app on your phone when asked, so this is easier next time.",
            "Then go to https://aka.ms/sspr and choose a new password you have not used before.",
        ])
    {
        Intro = $"We've checked your account and sent a one-time sign-in pass to the personal email address you registered with us ({maskedAddress}). For your safety it is not in this email. It works once, for {minutes} minutes.",
    };

    /// <summary>After a licence or group membership was granted, or found already in place.</summary>
    public static Guide AccessGranted(string product, bool already) => new(
        "builtin-access-granted",
        $"Your access to {product}",
        [
            $"Close {product} and any Microsoft 365 apps, then sign out and sign back in with your work email.",
            $"Open {product}. If it asks you to sign in or activate, use your work email.",
            "If it still says you have no access after 30 minutes, reply and tell us what you see.",
        ])
    {
        Intro = already
            ? $"We've checked, and your account already has {product}. It usually just needs a fresh sign-in:"
            : $"Good news: we've given your account access to {product}. It can take up to 30 minutes to show up, then:",
    };

    /// <summary>The built-in guide of a category (the printer one for peripherals); null for engineering.</summary>
    public static Guide? For(string category, ClientProfile client, string? site = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var vpn = client.SystemProfile.VpnProduct ?? "your VPN app";
        switch (category)
        {
            case Categories.PasswordReset:
                return new("builtin-password-reset", "Getting back into your account",
                [
                    "Go to https://aka.ms/sspr on your phone or computer.",
                    "Enter your work email address and follow the steps. You will be asked to confirm it is you with your phone or authenticator app.",
                    "Choose a new password you have not used before.",
                    "If your account says it is locked, wait 15 minutes after resetting and sign in again.",
                ]);
            case Categories.SoftwareAccess:
                return new("builtin-software-access", "Getting access to an app",
                [
                    "Sign out of the app and sign back in, so it picks up any new permissions.",
                    "If it still says you have no access, reply with the app name and what you need to do in it.",
                ]);
            case Categories.VpnRemoteAccess:
                return new("builtin-vpn", $"Connecting with {vpn}",
                [
                    "Check you are connected to the internet (open any website).",
                    $"Quit {vpn} completely and open it again.",
                    "Sign in with your work email and approve the request on your phone.",
                    "If it still will not connect, restart your computer and try once more.",
                ]);
            case Categories.PrinterPeripheral:
                return Printer(client, site);
            case Categories.SoftwareError:
                return new("builtin-software-error", "When an app keeps crashing or showing an error",
                [
                    "Save your work and close the app completely.",
                    "Restart your computer.",
                    "Open the app again. If the error comes back, reply with the exact message or a screenshot.",
                ]);
            default:
                return null;
        }
    }

    private static Guide Printer(ClientProfile client, string? site)
    {
        var all = client.SystemProfile.Printers ?? new Dictionary<string, string>();
        var mine = site is not null && all.TryGetValue(site, out var model) ? model : null;
        var list = string.Join("; ", all.Select(p => $"{p.Key}: {p.Value}"));
        var which = mine is not null ? $" (yours is the {mine})" : list.Length > 0 ? $" (your printers are {list})" : "";
        return new("builtin-printer", "Getting your printer working again",
        [
            "Check the printer is switched on, has paper, and shows no error on its screen.",
            "Turn the printer off, wait ten seconds, and turn it back on.",
            $"On your computer, open Settings > Printers, remove the printer and add it again{which}.",
            "Print a test page.",
        ]);
    }

    /// <summary>
    /// The built-in guide of a peripheral playbook other than the printer's (<see cref="PlaybookIds"/>'
    /// ids); null for the printer guide and anything else.
    /// </summary>
    public static Guide? ForDevice(string playbook) => playbook switch
    {
        PlaybookIds.ScannerGuide => new("builtin-scanner", "Getting scanning working again",
        [
            "Check the scanner or copier is switched on and shows no error on its screen.",
            "If you scan to email, check the address you picked in its address book is yours and spelt right.",
            "If you scan to a folder, check you can open that folder from your computer.",
            "Turn the device off, wait ten seconds, turn it back on and scan one page again.",
            "If it still fails, reply with the exact message the device shows.",
        ]),
        PlaybookIds.MouseKeyboardGuide => new("builtin-mouse-keyboard", "Getting your mouse or keyboard working again",
        [
            "If it is wireless, put in fresh batteries or charge it, and check its power switch is on.",
            "If it has a small USB receiver, unplug it and plug it into another USB port on the computer itself (not a hub).",
            "If it is Bluetooth, open Settings > Bluetooth & devices, remove it, then pair it again.",
            "If it is wired, unplug it, wait a few seconds and plug it into another USB port.",
            "Restart your computer and try again.",
        ]),
        PlaybookIds.DisplayDockGuide => new("builtin-display-dock", "Getting your screen or dock working again",
        [
            "Check the screen is switched on and its cable is pushed in firmly at both ends.",
            "Use the screen's own buttons to choose the right input (HDMI, DisplayPort or USB-C).",
            "If you use a dock, check its power light is on, then unplug the laptop from it, wait ten seconds and plug it back in.",
            "On your computer, open Settings > System > Display and choose Detect.",
            "Restart your computer with the dock or screen connected.",
        ]),
        PlaybookIds.HeadsetGuide => new("builtin-headset", "Getting your headset working again",
        [
            "Unplug the headset and plug it in again (or turn its Bluetooth off and on).",
            "In Windows, click the speaker icon by the clock and pick the headset as the output and the microphone.",
            "In Teams, open Settings > Devices and pick the headset for the speaker and the microphone.",
            "Check the headset is not muted (a button on the cable or the ear cup).",
            "Restart your computer and try a test call in Teams (Settings > Devices > Make a test call).",
        ]),
        PlaybookIds.DeskPhoneGuide => new("builtin-desk-phone", "Getting your desk phone working again",
        [
            "Check the network cable is pushed in firmly at the phone and at the wall socket.",
            "Check the handset's curly cable is plugged in at both ends.",
            "Unplug the phone's power (or the network cable if it has no power cable), wait ten seconds and plug it back in.",
            "Wait two minutes for it to start up, then make a test call.",
        ]),
        PlaybookIds.PeripheralGuide => new("builtin-peripheral", "Getting a device working again",
        [
            "Unplug the device, wait a few seconds and plug it into another port on the computer itself (not a hub).",
            "If it is wireless, charge it or change its batteries, and check it is switched on.",
            "Restart your computer with the device connected.",
            "If it still does not work, reply with the device's make and model and what it does.",
        ]),
        _ => null,
    };
}
