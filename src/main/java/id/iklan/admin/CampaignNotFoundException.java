package id.iklan.admin;

/** A campaign or version named in a request does not exist. */
public final class CampaignNotFoundException extends Exception {
  public CampaignNotFoundException(String message) {
    super(message, null, false, false);
  }
}
