// Trigger for the push-subscriber suite: ews-javascript-api subscribes to push notifications.
//
// Everything on the wire is the library's: an ExchangeService for a fixed version with the
// given URL and WebCredentials (HTTP Basic), then SubscribeToPushNotifications on the Inbox
// (or SubscribeToPushNotificationsOnAllFolders with --all-folders), StatusFrequency 1, no
// watermark, all event kinds. The adapter only prints the one JSON line the trigger contract
// asks for: the PushSubscription's Id and Watermark, or the name of the ServiceError the
// library reports.
//
// Usage: node subscribe.js EWS_URL USER PASSWORD CALLBACK_URL [--all-folders]
'use strict';
const ews = require('ews-javascript-api');

const [ewsUrl, user, password, callbackUrl, mode] = process.argv.slice(2);

const service = new ews.ExchangeService(ews.ExchangeVersion.Exchange2013);
service.Credentials = new ews.WebCredentials(user, password);
service.Url = new ews.Uri(ewsUrl);

const events = [
  ews.EventType.NewMail,
  ews.EventType.Created,
  ews.EventType.Deleted,
  ews.EventType.Modified,
  ews.EventType.Moved,
  ews.EventType.Copied,
];
const callback = new ews.Uri(callbackUrl);
const subscribing =
  mode === '--all-folders'
    ? service.SubscribeToPushNotificationsOnAllFolders(callback, 1, null, ...events)
    : service.SubscribeToPushNotifications([new ews.FolderId(ews.WellKnownFolderName.Inbox)], callback, 1, null, ...events);

subscribing.then(
  (subscription) => {
    console.log(JSON.stringify({ subscription_id: subscription.Id, watermark: subscription.Watermark }));
  },
  (err) => {
    console.error('ews-javascript-api rejected:', err && err.stack ? err.stack : err);
    const code = err && typeof err.ErrorCode === 'number' ? ews.ServiceError[err.ErrorCode] : undefined;
    console.log(JSON.stringify({ error: code || String((err && err.message) || err) }));
  }
);
