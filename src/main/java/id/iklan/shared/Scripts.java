package id.iklan.shared;

/**
 * The Lua scripts that make each shared update atomic in Redis. A script runs alone in Redis,
 * so a check and the write it allows can never be split by another server's write.
 *
 * <p>Keys (prefix {@code iklan:}), all in the database of the Redis URL:
 * <ul>
 *   <li>{@code served:<campaign>}: the campaign's served total (string integer);
 *   <li>{@code fc:<user>}: hash, one field per capped campaign the reader was served within
 *       the cap window: {@code "<t1>,<t2>,…"}, serve times in epoch ms, at most the cap count;
 *       the key expires after the longest window of its campaigns;
 *   <li>{@code beacon:<i|c>:<request>:<slot>}: a counted impression or click, until its token
 *       expires;
 *   <li>{@code report:<epoch day>}: hash of report counters, field
 *       {@code "<s|i|c|r>|<campaign>|<creative>|<section>"} (served, impressions, clicks,
 *       revenue in millionths);
 *   <li>{@code nodes}: sorted set of the servers seen lately (heartbeats);
 *   <li>{@code alive}: set once; its absence tells that Redis lost its data;
 *   <li>{@code batch:<node>:<n>}: a flushed batch, for ten minutes, so a batch sent again after a
 *       lost answer is not counted twice.
 * </ul>
 */
final class Scripts {
  private Scripts() {}

  /**
   * Frequency caps: check and count in one step. {@code KEYS[1]} is the reader's {@code fc:}
   * hash; {@code ARGV[1]} is now (ms), then for each capped campaign of the page: id, serves
   * asked, cap count, window (ms). A campaign is granted only if the reader's serves within its
   * window plus those asked stay within the cap. Returns, per campaign, 1 or 0 and the serve
   * times kept (so the server's local view of the reader is exact after every answer).
   */
  static final RedisLink.Script RESERVE = RedisLink.Script.of("""
      local key = KEYS[1]
      local now = tonumber(ARGV[1])
      local out = {}
      local longest = 0
      for i = 2, #ARGV, 4 do
        local campaign = ARGV[i]
        local n = tonumber(ARGV[i + 1])
        local cap = tonumber(ARGV[i + 2])
        local window = tonumber(ARGV[i + 3])
        local since = now - window
        local times = {}
        local stored = redis.call('HGET', key, campaign)
        if stored then
          for t in string.gmatch(stored, '%d+') do
            if tonumber(t) >= since then times[#times + 1] = t end
          end
        end
        local granted = 0
        if #times + n <= cap then
          for k = 1, n do times[#times + 1] = ARGV[1] end
          granted = 1
        end
        while #times > cap do table.remove(times, 1) end
        if #times > 0 then
          redis.call('HSET', key, campaign, table.concat(times, ','))
        else
          redis.call('HDEL', key, campaign)
        end
        if window > longest then longest = window end
        out[#out + 1] = granted
        out[#out + 1] = table.concat(times, ',')
      end
      if longest > 0 and redis.call('PTTL', key) < longest then
        redis.call('PEXPIRE', key, longest)
      end
      return out
      """);

  /**
   * One flush of a server's batched counts. {@code KEYS[1]} marks the batch: a batch sent again
   * (its answer was lost) changes nothing the second time. {@code ARGV}: marker lifetime (ms),
   * report and served key lifetime (ms), then the served deltas ({@code n}, then key and delta
   * each), the report deltas ({@code n}, then key, field, delta), and the beacons ({@code n},
   * then dedupe key, its lifetime in ms, report key, field). A beacon is counted only if its
   * dedupe key was not there: exactly once across servers. Returns the served totals.
   */
  static final RedisLink.Script FLUSH = RedisLink.Script.of("""
      local fresh = redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1])
      local keep = ARGV[2]
      local i = 3
      local out = {}
      local served = tonumber(ARGV[i]); i = i + 1
      for k = 1, served do
        if fresh then
          out[k] = redis.call('INCRBY', ARGV[i], ARGV[i + 1])
          redis.call('PEXPIRE', ARGV[i], keep)
        else
          out[k] = tonumber(redis.call('GET', ARGV[i]) or '0')
        end
        i = i + 2
      end
      if not fresh then return out end
      local reports = {}
      local cells = tonumber(ARGV[i]); i = i + 1
      for k = 1, cells do
        redis.call('HINCRBY', ARGV[i], ARGV[i + 1], ARGV[i + 2])
        reports[ARGV[i]] = true
        i = i + 3
      end
      local beacons = tonumber(ARGV[i]); i = i + 1
      for k = 1, beacons do
        if redis.call('SET', ARGV[i], '1', 'NX', 'PX', ARGV[i + 1]) then
          redis.call('HINCRBY', ARGV[i + 2], ARGV[i + 3], 1)
          reports[ARGV[i + 2]] = true
        end
        i = i + 4
      end
      for key in pairs(reports) do redis.call('PEXPIRE', key, keep) end
      return out
      """);

  /**
   * A server's periodic read of the served totals of goal campaigns, with its heartbeat.
   * {@code KEYS[1]} is the {@code nodes} set, {@code KEYS[2]} the {@code alive} marker;
   * {@code ARGV}: node id, now (ms), how long a silent node still counts (ms), served key
   * lifetime (ms), then per campaign its served key and the total this server last knew (or
   * -1). When the marker is missing, Redis lost its data (or is new): totals this server knew
   * are written back, so goals do not start again from zero. Returns the number of servers,
   * whether the marker was missing, and the totals.
   */
  static final RedisLink.Script REFRESH = RedisLink.Script.of("""
      local now = tonumber(ARGV[2])
      local silent = tonumber(ARGV[3])
      redis.call('ZADD', KEYS[1], now, ARGV[1])
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - silent)
      redis.call('PEXPIRE', KEYS[1], silent * 10)
      local lost = redis.call('SET', KEYS[2], ARGV[2], 'NX')
      local out = {redis.call('ZCARD', KEYS[1]), lost and 1 or 0}
      for i = 5, #ARGV, 2 do
        local value = tonumber(redis.call('GET', ARGV[i]) or '0')
        local known = tonumber(ARGV[i + 1])
        if lost and known > value then
          redis.call('SET', ARGV[i], ARGV[i + 1], 'PX', ARGV[4])
          value = known
        end
        out[#out + 1] = value
      end
      return out
      """);
}
