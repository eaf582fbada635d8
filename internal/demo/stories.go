package demo

// The sample stories: invented for the demo, about invented events. They
// read like the region's news so the dashboard looks as it will, but every
// one is labelled a sample in its body.

var wireStories = []story{
	{"Sample: Regional ministers meet on water sharing along the Syr Darya", "Delegations from five countries discussed seasonal quotas for reservoirs upstream and irrigation needs downstream. A joint statement promised a data-sharing platform by spring."},
	{"Sample: New rail freight link cuts transit time to the Caspian", "The first container train on the upgraded line reached the port two days faster than the old route. Operators expect weekly departures from next month."},
	{"Sample: Central bank holds its key rate, citing easing inflation", "The regulator left the policy rate unchanged and said price growth slowed for a third month. Analysts had expected a cut of half a point."},
	{"Sample: Самарканд принимает международный форум ремёсел", "Мастера из двенадцати стран показали ковры, керамику и ткани. Организаторы ждут более двадцати тысяч гостей за неделю."},
	{"Sample: Border crossing reopens after road repairs", "Trucks queued overnight as the crossing reopened with four new inspection lanes. Officials said waiting times should fall by half."},
	{"Sample: Solar park begins feeding power into the national grid", "The 200-megawatt plant is the largest of its kind in the country. Its operator says it will supply electricity to about 150,000 homes."},
	{"Sample: University consortium launches Turkic-language AI corpus", "Researchers released a public text collection covering Kazakh, Kyrgyz, Uzbek and Turkmen. They hope it improves machine translation for small languages."},
	{"Sample: Winter wheat sowing finishes ahead of schedule", "Farm ministries reported favourable soil moisture across the northern plains. Early frost remains the main risk for the coming weeks."},
	{"Sample: Capital's new metro line opens its first six stations", "Commuters rode the line free of charge on its opening day. The remaining stations are due to open within two years."},
	{"Sample: Pamir highway mudslide cleared, traffic restored", "Road crews worked through the night to reopen the route. Drivers are advised to travel in daylight while the slope is monitored."},
	{"Sample: 東アジアの投資家が中央アジアの物流に注目 🚆", "An investment delegation toured logistics hubs and dry ports. The visit ended with memoranda on warehouse construction."},
	{"Sample: Parliament debates a new law on digital signatures", "The draft would let citizens sign contracts with a mobile app. Opposition deputies asked for stronger rules on data storage."},
}

var businessStories = []story{
	{"Sample: Copper output rises 8% on new concentrator", "The mining group said the plant reached design capacity in October. Exports go mainly by rail through the eastern border crossing."},
	{"Sample: Tenge steady as oil prices recover", "The currency traded in a narrow range through the week. Dealers pointed to tax-payment season and steady export revenue."},
	{"Sample: Startup fund raises $40 million for regional fintech", "The fund plans to back twenty early-stage companies in payments and lending. Its first investments are expected in the spring."},
	{"Sample: Cotton exporters switch to finished textiles", "Producers now sell more yarn and fabric instead of raw fibre. The industry association says value added per tonne has tripled."},
	{"Sample: Airline adds direct flights to three European cities", "The carrier will fly twice a week from the spring schedule. Fares will be announced next month."},
	{"Sample: Remittances reach a record in the third quarter", "Money sent home by workers abroad rose by a fifth year on year. Economists credit higher wages and cheaper transfer fees."},
	{"Sample: Stock exchange lists its first green bond", "The five-year bond will finance wind farms in the south. It was oversubscribed twice on the first day."},
	{"Sample: Сом укрепился к доллару на фоне притока валюты", "Национальный банк сообщил о снижении спроса на иностранную валюту. Интервенций на этой неделе не проводилось."},
	{"Sample: Logistics park opens near the tri-border area", "The park offers bonded warehouses and customs clearance on site. Its operators expect to handle 100,000 containers a year."},
	{"Sample: Gold miner resumes dividend after three years", "The company reported higher output and lower debt. Shareholders approved the payment at an extraordinary meeting."},
}

var valleyStories = []story{
	{"Sample: Apricot harvest festival draws record crowds", "Growers from across the valley brought dried fruit and preserves. Buyers from abroad signed contracts for the coming season."},
	{"Sample: New school opens in a mountain village", "The school has room for 300 pupils and a boarding house for children from remote pastures. It replaces a building from the 1960s."},
	{"Sample: Walnut forest gets protected status", "One of the world's largest wild walnut forests will be managed as a reserve. Local families keep the right to gather nuts."},
	{"Sample: Hydropower plant upgrade adds 60 megawatts", "New turbines replaced units installed half a century ago. The upgrade should reduce winter power cuts in the region."},
	{"Sample: Volunteers map hiking trails for tourists", "A group of guides published free maps of forty routes. They hope to spread visitors beyond the most crowded lakes."},
	{"Sample: Silk workshop revives natural dyes", "Weavers use pomegranate, walnut and madder for colour. Their scarves now sell in shops in four countries."},
	{"Sample: Drinking water project reaches 20 villages", "New pipes bring clean water to about 30,000 people. Clinics reported fewer stomach infections over the summer."},
	{"Sample: Football club promoted to the top league", "The team won its last match of the season 2–1. Fans filled the town square to celebrate."},
	{"Sample: Regional airport gets a new terminal", "The terminal can serve 500 passengers an hour. Flights to the capital will run daily from next week."},
	{"Sample: Beekeepers report a strong honey year", "A warm spring and late rain helped the mountain meadows bloom. Prices at the market fell slightly as supply rose."},
	{"Sample: Library digitises a collection of old manuscripts", "Scholars scanned more than two thousand pages in Persian and Chagatai. The images will be free to view online."},
}
