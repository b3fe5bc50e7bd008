<?php
// oxconf oms-client trigger: an MS-OMS client on PHP's SoapClient (ext-soap).
//
// SoapClient builds every SOAP request from the project's OMS WSDL (vectors/wsdl/oms.wsdl),
// sends it and reads the answer. ext-soap has no API to render or read a standalone schema
// element, so the embedded xmsData / xmsBatch documents are written, and the serviceInfo,
// xmsResponse and xmsResponses documents read, with PHP's DOM extension by this adapter. The
// adapter also supplies the MS-OMS client rules (the limits of serviceInfo, the reading of
// delivery errors in MS-OMS 2.2.4.4) and the oms-client trigger contract (arguments in, one
// JSON outcome line per message out).

const NS = 'http://schemas.microsoft.com/office/Outlook/2006/OMS';
const CLIENT_NAME = 'php-soapclient oms-client adapter';

final class CannotSend extends Exception {}

function say(string $m): void { fwrite(STDERR, $m . "\n"); }

function opts(array $argv): array {
    $o = ['url' => '', 'user' => '', 'password' => '', 'to' => '', 'text' => '', 'kind' => 'sms',
          'batch-file' => '', 'image-file' => '', 'ca-file' => ''];
    for ($i = 1; $i + 1 < count($argv); $i += 2) {
        $k = substr($argv[$i], 2);
        if (!array_key_exists($k, $o)) { say("unknown option {$argv[$i]}"); exit(2); }
        $o[$k] = $argv[$i + 1];
    }
    return $o;
}

// The embedded documents travel as strings (E-OMS-23), possibly with their own XML declaration
// whose encoding is to be ignored (E-OMS-24): the string is already text.
function read_doc(string $text): DOMElement {
    $text = preg_replace('/^\s*<\?xml[^>]*\?>/s', '', $text, 1);
    $d = new DOMDocument();
    if ($text === '' || !@$d->loadXML($text, LIBXML_NONET) || $d->documentElement === null) {
        throw new UnexpectedValueException('embedded document unreadable');
    }
    return $d->documentElement;
}

function kids(DOMElement $e, string $name): array {
    $out = [];
    foreach ($e->childNodes as $c) {
        if ($c instanceof DOMElement && $c->localName === $name && $c->namespaceURI === NS) { $out[] = $c; }
    }
    return $out;
}

function kid(DOMElement $e, string $name): ?DOMElement { return kids($e, $name)[0] ?? null; }

function attr(DOMElement $e, string $name): ?string { return $e->hasAttribute($name) ? $e->getAttribute($name) : null; }

final class Oms {
    public SoapClient $soap;
    public ?DOMElement $info = null;

    public function __construct(string $url, public string $user, public string $password, string $ca) {
        $ssl = $ca === '' ? [] : ['cafile' => $ca, 'verify_peer' => true, 'verify_peer_name' => true];
        ini_set('default_socket_timeout', '15');
        $this->soap = new SoapClient(__DIR__ . '/../../../vectors/wsdl/oms.wsdl', [
            'location' => $url,
            'soap_version' => SOAP_1_1,
            'exceptions' => true,
            'trace' => true,
            'cache_wsdl' => WSDL_CACHE_NONE,
            'connection_timeout' => 15,
            'stream_context' => stream_context_create(['ssl' => $ssl]),
        ]);
    }

    public function serviceInfo(): DOMElement {
        if ($this->info === null) {
            try {
                $r = $this->soap->GetServiceInfo(new stdClass());
                $this->info = read_doc((string)($r->GetServiceInfoResult ?? ''));
            } catch (SoapFault $f) {
                throw new CannotSend("GetServiceInfo: {$f->faultcode}: {$f->getMessage()}");
            } catch (UnexpectedValueException $e) {
                throw new CannotSend('serviceInfo: ' . $e->getMessage());
            }
        }
        return $this->info;
    }

    /** The result string, or null when the call failed (fault, HTTP status, transport). */
    public function call(string $op, array $args, string $result): ?string {
        try {
            $r = $this->soap->$op($args);
            return (string)($r->$result ?? '');
        } catch (SoapFault $f) {
            say("$op: {$f->faultcode}: {$f->getMessage()}");
            return null;
        }
    }

    public function offered(string $name): ?DOMElement {
        $s = kid($this->serviceInfo(), 'supportedService');
        return $s === null ? null : kid($s, $name);
    }
}

function intval_attr(DOMElement $e, string $n): int { return max((int)(attr($e, $n) ?? '0'), 0); }

function split_text(string $text, int $size): array {
    if ($text === '' || $size <= 0) { return [$text]; }
    $chars = preg_split('//u', $text, -1, PREG_SPLIT_NO_EMPTY);
    return array_map(fn($c) => implode('', $c), array_chunk($chars, $size));
}

/** (recipients, numbered parts) per request: recipient groups x parts per send. */
function sms_units(DOMElement $sms, array $to, string $text): array {
    $ascii = !preg_match('/[^\x00-\x7f]/', $text);
    $parts = split_text($text, intval_attr($sms, $ascii ? 'maxSbcsPerMessage' : 'maxDbcsPerMessage'));
    $numbered = [];
    foreach ($parts as $i => $p) { $numbered[] = [$i + 1, $p]; }
    $units = [];
    foreach (array_chunk($to, max(intval_attr($sms, 'maxRecipientsPerMessage'), 1)) as $group) {
        foreach (array_chunk($numbered, max(intval_attr($sms, 'maxMessagesPerSend'), 1)) as $chunk) {
            $units[] = [$group, $chunk];
        }
    }
    return $units;
}

final class Doc {
    public DOMDocument $d;
    public function __construct() { $this->d = new DOMDocument('1.0', 'utf-8'); }
    public function el(string $name, array $attrs = [], ?string $text = null): DOMElement {
        $e = $this->d->createElementNS(NS, $name);
        foreach ($attrs as $k => $v) { $e->setAttribute($k, (string)$v); }
        if ($text !== null) { $e->appendChild($this->d->createTextNode($text)); }
        return $e;
    }
    public function add(DOMElement $parent, DOMElement ...$children): DOMElement {
        foreach ($children as $c) { $parent->appendChild($c); }
        return $parent;
    }
    public function text(DOMElement $root): string { return $this->d->saveXML($root); }
}

function message(Doc $x, DOMElement $root, Oms $oms, string $service, array $recipients, DOMElement $body): DOMElement {
    $to = $x->el('to');
    foreach ($recipients as $r) { $x->add($to, $x->el('recipient', [], $r)); }
    return $x->add($root,
        $x->add($x->el('user'), $x->el('userId', [], $oms->user), $x->el('password', [], $oms->password)),
        $x->add($x->el('xmsHead'), $x->el('requiredService', [], $service), $to),
        $body);
}

function sms_body(Doc $x, string $token, array $parts): DOMElement {
    $b = $x->el('xmsBody', ['format' => 'SMS']);
    foreach ($parts as [$n, $text]) {
        $x->add($b, $x->el('content', ['contentType' => 'text/plain', 'contentId' => "$n.txt@$token",
                                       'contentLocation' => "$n.txt"], $text));
    }
    return $b;
}

function mms_body(Doc $x, string $token, string $text, string $gif): DOMElement {
    $textId = "1.txt@$token"; $imageId = "2.gif@$token";
    $region = fn($id, $top, $h) => $x->el('region', ['id' => $id, 'left' => '0', 'top' => $top,
        'width' => '120', 'height' => $h, 'fit' => 'slice']);
    $slides = $x->add($x->el('mmsSlides'),
        $x->add($x->el('head'),
            $x->el('meta', ['name' => 'author', 'content' => CLIENT_NAME]),
            $x->add($x->el('layout'),
                $x->el('root-layout', ['width' => '120', 'height' => '120', 'background-color' => '#ffffff']),
                $region('Image', '0', '90'), $region('Text', '90', '30'))),
        $x->add($x->el('body'), $x->add($x->el('par', ['dur' => '5000']),
            $x->el('img', ['src' => "cid:$imageId", 'region' => 'Image']),
            $x->el('text', ['src' => "cid:$textId", 'region' => 'Text']))));
    return $x->add($x->el('xmsBody', ['format' => 'MMS']), $slides,
        $x->el('content', ['contentType' => 'text/plain', 'contentId' => $textId, 'contentLocation' => '1.txt'], $text),
        $x->el('content', ['contentType' => 'image/gif', 'contentId' => $imageId, 'contentLocation' => '2.gif'], base64_encode($gif)));
}

/** MS-OMS 2.2.4.4 notes: [failed recipients, serviceUpdate asked]. Case-insensitive (E-OMS-28);
 *  no error element fails everyone; a missing code is an unknown failure; a missing severity
 *  is neutral; a failure without recipientList concerns everyone. */
function interpret(array $errors, array $recipients): array {
    $update = false; $failed = []; $everyone = false;
    foreach ($errors as $e) {
        $code = attr($e, 'code');
        if ($code !== null && strtolower(trim($code)) === 'serviceupdate') { $update = true; }
        if ($code !== null && strtolower(trim(attr($e, 'severity') ?? '')) !== 'failure') { continue; }
        $list = kid($e, 'recipientList');
        $named = $list === null ? [] : array_values(array_filter(array_map('trim', explode(';', $list->textContent)), 'strlen'));
        if ($named) { array_push($failed, ...$named); } else { $everyone = true; }
    }
    if (!$errors || $everyone) { return [$recipients, $update]; }
    $ordered = array_merge(array_values(array_intersect($recipients, $failed)), array_values(array_diff($failed, $recipients)));
    return [array_values(array_unique($ordered)), $update];
}

final class Tally {
    public array $failed = [];
    public function __construct(public int $id, public array $to) {}
    public function add(array $failed): void { $this->failed = array_values(array_unique(array_merge($this->failed, $failed))); }
    public function line(): string {
        $f = array_merge(array_values(array_intersect($this->to, $this->failed)), array_values(array_diff($this->failed, $this->to)));
        return json_encode(['id' => $this->id, 'outcome' => $f ? 'failed' : 'delivered', 'failed_recipients' => $f],
            JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
    }
}

function deliver(Oms $oms, string $doc, array $recipients): array {
    $result = $oms->call('DeliverXms', ['xmsData' => $doc], 'DeliverXmsResult');
    if ($result === null) { return $recipients; }
    try { $root = read_doc($result); } catch (UnexpectedValueException $e) { say('xmsResponse unreadable'); return $recipients; }
    [$failed, $update] = interpret(kids($root, 'error'), $recipients);
    if ($update) { $oms->info = null; }
    return $failed;
}

function xms_data(Oms $oms, string $service, array $recipients, callable $body): string {
    $x = new Doc();
    $root = $x->el('xmsData', ['client' => CLIENT_NAME]);
    $x->d->appendChild($root);
    return $x->text(message($x, $root, $oms, $service, $recipients, $body($x)));
}

function token(): string { return bin2hex(random_bytes(8)); }

function send_sms(Oms $oms, array $to, string $text): array {
    $sms = $oms->offered('SMS_SENDER') ?? throw new CannotSend('the service offers no SMS_SENDER');
    $t = new Tally(0, $to);
    foreach (sms_units($sms, $to, $text) as [$group, $parts]) {
        $oms->serviceInfo();
        $t->add(deliver($oms, xms_data($oms, 'SMS_SENDER', $group, fn($x) => sms_body($x, token(), $parts)), $group));
    }
    return [$t];
}

function send_mms(Oms $oms, array $to, string $text, string $image): array {
    $mms = $oms->offered('MMS_SENDER') ?? throw new CannotSend('the service offers no MMS_SENDER');
    $gif = file_get_contents($image);
    if ($gif === false) { throw new CannotSend("cannot read $image"); }
    $t = new Tally(0, $to);
    foreach (array_chunk($to, max(intval_attr($mms, 'maxRecipientsPerMessage'), 1)) as $group) {
        $t->add(deliver($oms, xms_data($oms, 'MMS_SENDER', $group, fn($x) => mms_body($x, token(), $text, $gif)), $group));
    }
    return [$t];
}

function batch_messages(string $file): array {
    $j = json_decode((string)@file_get_contents($file), true);
    if (!is_array($j) || !is_array($j['messages'] ?? null)) { say("unreadable batch file $file"); exit(2); }
    return $j['messages'];
}

function send_batch(Oms $oms, array $messages): array {
    $tallies = array_map(fn($m) => new Tally((int)$m['id'], array_values($m['to'])), $messages);
    $sms = $oms->offered('SMS_SENDER') ?? throw new CannotSend('the service offers no SMS_SENDER');
    $items = [];
    foreach ($messages as $i => $m) {
        foreach (sms_units($sms, array_values($m['to']), (string)$m['text']) as [$group, $parts]) {
            $items[] = [$i, (int)$m['id'], $group, $parts];
        }
    }
    $size = kid($oms->serviceInfo(), 'batchSize');
    $batchSize = $size === null ? 0 : (int)$size->textContent;
    if ($batchSize === 0) {
        // MS-OMS 3.1.4.1.3.1: batchSize 0 means the service takes no DeliverXmsBatch.
        foreach ($items as [$i, , $group, $parts]) {
            $tallies[$i]->add(deliver($oms, xms_data($oms, 'SMS_SENDER', $group, fn($x) => sms_body($x, token(), $parts)), $group));
        }
        return $tallies;
    }
    // Requests of at most batchSize items, never two items with one id in a request.
    $batches = [];
    foreach ($items as $item) {
        $placed = false;
        foreach ($batches as &$b) {
            if (count($b) < $batchSize && !in_array($item[1], array_column($b, 1), true)) { $b[] = $item; $placed = true; break; }
        }
        unset($b);
        if (!$placed) { $batches[] = [$item]; }
    }
    foreach ($batches as $b) {
        $x = new Doc();
        $root = $x->el('xmsBatch', ['client' => CLIENT_NAME]);
        $x->d->appendChild($root);
        $token = token();
        foreach ($b as [, $id, $group, $parts]) {
            $x->add($root, message($x, $x->el('xmsData', ['id' => $id]), $oms, 'SMS_SENDER', $group, sms_body($x, $token, $parts)));
        }
        $result = $oms->call('DeliverXmsBatch', ['packageXml' => $x->text($root)], 'DeliverXmsBatchResult');
        $answers = [];
        if ($result !== null) {
            try {
                foreach (kids(read_doc($result), 'xmsResponse') as $r) { $answers[attr($r, 'id') ?? ''] ??= $r; }
            } catch (UnexpectedValueException $e) { say('xmsResponses unreadable'); }
        }
        foreach ($b as [$i, $id, $group]) {
            $answer = $answers[(string)$id] ?? null;
            if ($answer === null) { $tallies[$i]->add($group); continue; }
            [$failed, $update] = interpret(kids($answer, 'error'), $group);
            if ($update) { $oms->info = null; }
            $tallies[$i]->add($failed);
        }
    }
    return $tallies;
}

$o = opts($argv);
$to = array_values(array_filter(explode(',', $o['to']), 'strlen'));
$oms = new Oms($o['url'], $o['user'], $o['password'], $o['ca-file']);
try {
    $tallies = match ($o['kind']) {
        'batch' => send_batch($oms, batch_messages($o['batch-file'])),
        'mms' => send_mms($oms, $to, $o['text'], $o['image-file']),
        default => send_sms($oms, $to, $o['text']),
    };
} catch (CannotSend $e) {
    say('not sent: ' . $e->getMessage());
    $tallies = $o['kind'] === 'batch'
        ? array_map(fn($m) => new Tally((int)$m['id'], array_values($m['to'])), batch_messages($o['batch-file']))
        : [new Tally(0, $to)];
    foreach ($tallies as $t) { $t->add($t->to); }
}
foreach ($tallies as $t) { echo $t->line(), "\n"; }
