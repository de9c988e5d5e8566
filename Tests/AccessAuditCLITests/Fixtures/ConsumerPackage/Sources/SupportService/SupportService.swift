/// The service whose database permissions this package audits.
public enum SupportService {
    public static let name = "support"
}
