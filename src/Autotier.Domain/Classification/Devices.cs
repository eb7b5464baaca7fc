using System.Text.RegularExpressions;
using static Autotier.Domain.Classification.Rx;

namespace Autotier.Domain.Classification;

/// <summary>
/// The peripheral a printer_peripheral ticket is about. The review found "Mouse not working" and
/// "Scanner not working" sent the printer guide: the category alone does not say which guide fits.
/// </summary>
public static class Devices
{
    public const string Printer = "printer";
    public const string Scanner = "scanner";
    public const string Mouse = "mouse";
    public const string Keyboard = "keyboard";
    public const string Monitor = "monitor";
    public const string Headset = "headset";
    public const string Dock = "dock";
    public const string Phone = "phone";

    // Folded text, five languages. "Phone" only as a desk phone or handset: a mobile in a ticket is
    // usually the authenticator's, which is a password case, not a peripheral.
    private static readonly (string Device, Regex Pattern)[] Table =
    [
        (Scanner, P(@"\bscan(ner|ners|ning|s)?\b|\bscannen\b|\bescane\w*|\bnumeris\w*|\bscan to (e-?mail|folder)\b")),
        (Printer, P(@"\bprint(er|ers|ing|s|out)?\b|\bdrucke?r?\b|\bdrucken\b|\bimpresora\b|\bimprim\w*|\bprinten\b|\btoner\b|\bink\b|\btinte\b|\btinta\b|\bcartouche\b|\bpaper jam\b|\bpapierstau\b|\bbourrage\b|\bcopier\b|\bkopierer\b|\bmfp\b")),
        (Mouse, P(@"\bmouse\b|\bmice\b|\bmaus\b|\braton\b|\bsouris\b|\bmuis\b|\btrackball\b")),
        (Keyboard, P(@"\bkeyboard\b|\btastatur\b|\bteclado\b|\bclavier\b|\btoetsenbord\b")),
        (Monitor, P(@"\b(monitors?|screens?|displays?|bildschirm\w*|pantalla|ecran|beeldscherm)\b")),
        (Headset, P(@"\b(headset|headphones|earphones|earbuds|casque|auriculares|koptelefoon|kopfhorer|microphone|mikrofon|microfono|microfoon)\b")),
        (Dock, P(@"\bdock(ing station|ingstation|ing|s)?\b|\busb-?c hub\b")),
        (Phone, P(@"\b(desk ?phone|handset|voip phone|telefono de (mesa|escritorio)|tischtelefon|telephone fixe|bureautelefoon)\b")),
    ];

    /// <summary>Every device named in the folded text, where and as which words (a reply saying which device it is about).</summary>
    public static IEnumerable<(string Device, int Index, int Length)> Mentions(string folded)
    {
        ArgumentNullException.ThrowIfNull(folded);
        foreach (var (device, pattern) in Table)
        {
            for (var m = pattern.Match(folded); m.Success; m = m.NextMatch()) yield return (device, m.Index, m.Length);
        }
    }

    /// <summary>The device named first in the folded text, or null when none is.</summary>
    public static string? Find(string folded)
    {
        ArgumentNullException.ThrowIfNull(folded);
        string? best = null;
        var at = int.MaxValue;
        foreach (var (device, pattern) in Table)
        {
            var m = pattern.Match(folded);
            // The earliest mention wins (subject first): "the scanner on the printer" is a scanner case.
            if (m.Success && m.Index < at)
            {
                at = m.Index;
                best = device;
            }
        }
        return best;
    }
}

/// <summary>
/// A category (and, for peripherals, the device) mapped to the playbook that runs when a ticket is
/// automated: the parts of src/domain/playbook.ts that choose one. The ids are stable strings (for
/// the PSA note and metrics); the printer guide goes only to printers.
/// </summary>
public static class Playbooks
{
    public const string PasswordReset = "password-reset";
    public const string AccessRequest = "access-request";
    public const string VpnGuide = "vpn-guide";
    public const string PrinterGuide = "printer-guide";
    /// <summary>Scan to e-mail or folder on the site's multifunction device: address book, SMTP settings, the scan folder.</summary>
    public const string ScannerGuide = "scanner-guide";
    /// <summary>Batteries, the USB receiver, another port, Bluetooth pairing.</summary>
    public const string MouseKeyboardGuide = "mouse-keyboard-guide";
    /// <summary>Cables, input source, the dock's power and firmware, Windows display settings.</summary>
    public const string DisplayDockGuide = "display-dock-guide";
    /// <summary>The default audio device in Windows and Teams, the cable or the pairing.</summary>
    public const string HeadsetGuide = "headset-guide";
    /// <summary>Power over the network cable, the handset's cable, the phone's restart.</summary>
    public const string DeskPhoneGuide = "desk-phone-guide";
    /// <summary>A peripheral not named: the general steps (reconnect, restart, drivers), never a printer's.</summary>
    public const string PeripheralGuide = "peripheral-guide";
    public const string KnownErrorFix = "known-error-fix";

    /// <summary>The playbook for a category and device; null for engineering (nothing to automate).</summary>
    public static string? For(string category, string? device) => category switch
    {
        Categories.PasswordReset => PasswordReset,
        Categories.SoftwareAccess => AccessRequest,
        Categories.VpnRemoteAccess => VpnGuide,
        Categories.SoftwareError => KnownErrorFix,
        Categories.PrinterPeripheral => device switch
        {
            Devices.Printer => PrinterGuide,
            Devices.Scanner => ScannerGuide,
            Devices.Mouse or Devices.Keyboard => MouseKeyboardGuide,
            Devices.Monitor or Devices.Dock => DisplayDockGuide,
            Devices.Headset => HeadsetGuide,
            Devices.Phone => DeskPhoneGuide,
            _ => PeripheralGuide,
        },
        _ => null,
    };
}
