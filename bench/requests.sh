# bench/requests.sh -- the request bodies and query strings that bench/run
# and bench/profile both send (sourced by each, so that the two measure
# the same requests).

# participants-stats over the last 30 days.
stats_q="start_date=$(date -u -d '30 days ago' +%F)&end_date=$(date -u +%F)"
# Creator 3's dry link to demo store 1 through two subdomains and www.:
# three hosts looked up in store_domains (by its unique index), one match.
link_body='{"url":"https://www.spring.shop.nordicbeauty.se/glow-serum?size=50ml","dry":true}'
# A campaign with its costs (two sources), targets and a todo item, made by
# the admin on demo store 3 (so that member 2's list of store 1 stays the
# same).
offer_body='{"name":"Bench created campaign","campaign_title":"Bench campaign",'
offer_body+='"campaign_text":"Made by bench/run.","valid_from":"2025-01-01",'
offer_body+='"valid_until":"2090-01-01","todo":["Post a story"],'
offer_body+='"targets":{"user_ids":[3,6,7],"user_tag_ids":[1],"client_ids":[1]},'
offer_body+='"traffic_sources_costs":[{"source":0,"cpc":120,"cpa":0.05,"user_revenue":0.5},'
offer_body+='{"source":1,"cpc":150,"cpa":0.06,"user_revenue":0.5}]}'
